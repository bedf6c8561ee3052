import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { instrumentClickHouse, instrumentProducer } from '../../../pipeline/observe/instrument.js';
import { createMetrics } from '../../../pipeline/observe/metrics.js';
import { createReadiness } from '../../../pipeline/observe/readiness.js';
import type { TopicProducer } from '../../../sinks/kafka/producer.js';

function observed() {
  const metrics = createMetrics({ defaultMetrics: false });
  return { metrics, readiness: createReadiness({ staleMs: 60_000, metrics }) };
}

describe('instrumentClickHouse', () => {
  it('times successful inserts, marks ClickHouse ready, and passes other calls through', async () => {
    const o = observed();
    let inserted = 0;
    const fake = {
      insert: async () => {
        inserted++;
        return { executed: true, query_id: 'q' };
      },
      ping: async () => ({ success: true }),
    } as unknown as ClickHouseClient;
    const client = instrumentClickHouse(fake, o);
    await client.insert({ table: 't', values: [{ a: 1 }], format: 'JSONEachRow' });
    expect(inserted).toBe(1);
    expect(await client.ping()).toEqual({ success: true });
    const text = await o.metrics.registry.metrics();
    expect(text).toContain('sentiflow_clickhouse_insert_seconds_count{app="sentiflow"} 1');
    expect(o.readiness.states()).toEqual([expect.objectContaining({ name: 'clickhouse', ready: true })]);
  });

  it('counts a failed insert as a transient error and rethrows it', async () => {
    const o = observed();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    const fake = { insert: async () => Promise.reject(refused) } as unknown as ClickHouseClient;
    await expect(instrumentClickHouse(fake, o).insert({ table: 't', values: [] })).rejects.toBe(refused);
    expect(await o.metrics.registry.metrics()).toContain(
      'sentiflow_clickhouse_errors_total{kind="transient",app="sentiflow"} 1',
    );
    expect(o.readiness.ready()).toBe(false);
  });
});

describe('instrumentProducer', () => {
  it('counts messages per topic once Kafka acknowledged them', async () => {
    const o = observed();
    const fail = { now: false };
    const fake: TopicProducer = {
      send: async () => {
        if (fail.now) throw new Error('broker gone');
      },
      flush: async () => undefined,
      close: async () => undefined,
    };
    const producer = instrumentProducer(fake, o);
    await producer.send('tweets.dlq', [
      { key: 'a', value: 'x' },
      { key: 'b', value: 'y' },
    ]);
    fail.now = true;
    await expect(producer.send('tweets.dlq', [{ key: 'c', value: 'z' }])).rejects.toThrow('broker gone');
    expect(await o.metrics.registry.metrics()).toContain(
      'sentiflow_produced_total{topic="tweets.dlq",app="sentiflow"} 2',
    );
    expect(o.readiness.states()[0]).toMatchObject({ name: 'kafka', lastError: 'broker gone' });
  });
});
