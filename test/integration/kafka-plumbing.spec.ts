import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../lib/errors.js';
import type { ConsumedMessage } from '../../pipeline/sources/consumed-message.js';
import { createBatchConsumer } from '../../pipeline/sources/kafka-consumer.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { createProducer, type TopicProducer } from '../../sinks/kafka/producer.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import { waitFor } from '../support/servers.js';

const brokersEnv = process.env.KAFKA_BROKERS;
if (!brokersEnv)
  throw new Error('KAFKA_BROKERS is not set: the integration global setup did not provide Kafka');
const brokers = brokersEnv.split(',');
const kafka = createKafka({ brokers, retryDeadlineMs: 10_000 });

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Consumes until `count` messages arrived (or the deadline passed), then stops the consumer. */
async function consume(
  topic: string,
  groupId: string,
  count: number,
  fail?: boolean,
): Promise<ConsumedMessage[]> {
  const consumer = await createBatchConsumer(kafka, { brokers, groupId, topics: [topic] });
  const got: ConsumedMessage[] = [];
  const enough = deferred<void>();
  await consumer.run(async (batch) => {
    if (fail) throw new Error('handler failed on purpose');
    got.push(...batch.messages);
    if (got.length >= count) enough.resolve();
  });
  const deadline = setTimeout(() => enough.resolve(), 20_000);
  await Promise.race([enough.promise, consumer.done.catch(() => undefined)]);
  clearTimeout(deadline);
  await consumer.stop();
  return got;
}

let producer: TopicProducer;
beforeAll(async () => {
  producer = await createProducer(kafka, { brokers });
});
afterAll(async () => {
  await producer.close();
});

describe('Kafka plumbing against a real broker', () => {
  it('creates topics once and reports them as existing afterwards', async () => {
    const name = `t-${randomUUID()}`;
    const spec = { name, partitions: 3, replicationFactor: 1, retentionHours: 24 };
    expect(await ensureTopics(kafka, [spec], { brokers })).toEqual([
      { name, action: 'created', partitions: 3 },
    ]);
    expect(await ensureTopics(kafka, [spec], { brokers })).toEqual([
      { name, action: 'exists', partitions: 3 },
    ]);
    expect(await ensureTopics(kafka, [{ ...spec, partitions: 4 }], { brokers })).toEqual([
      { name, action: 'partitions-increased', partitions: 4 },
    ]);
  });

  it('delivers keyed messages with timestamp and headers to a consumer group', async () => {
    const topic = `t-${randomUUID()}`;
    await ensureTopics(kafka, [{ name: topic, partitions: 2, replicationFactor: 1, retentionHours: -1 }], {
      brokers,
    });
    const sent = Array.from({ length: 50 }, (_, i) => ({
      key: `k${i}`,
      value: JSON.stringify({ i }),
      timestamp: 1_700_000_000_000 + i,
      headers: { source: 'test', n: String(i) },
    }));
    await Promise.all([producer.send(topic, sent.slice(0, 25)), producer.send(topic, sent.slice(25))]);
    const got = await consume(topic, `g-${randomUUID()}`, 50);
    expect(got).toHaveLength(50);
    const byKey = new Map(got.map((m) => [m.key?.toString(), m]));
    for (const s of sent) {
      const m = byKey.get(s.key)!;
      expect(m.value?.toString()).toBe(s.value);
      expect(m.timestamp).toBe(s.timestamp);
      expect(m.headers).toEqual(s.headers);
    }
  });

  it('resumes a group from its committed offset after a restart', async () => {
    const topic = `t-${randomUUID()}`;
    const groupId = `g-${randomUUID()}`;
    await ensureTopics(kafka, [{ name: topic, partitions: 1, replicationFactor: 1, retentionHours: -1 }], {
      brokers,
    });
    await producer.send(topic, [
      { key: 'a', value: 'first' },
      { key: 'b', value: 'second' },
    ]);
    expect((await consume(topic, groupId, 2)).map((m) => m.value?.toString())).toEqual(['first', 'second']);
    await producer.send(topic, [{ key: 'c', value: 'third' }]);
    expect((await consume(topic, groupId, 1)).map((m) => m.value?.toString())).toEqual(['third']);
  });

  it('does not commit a batch whose handler failed', async () => {
    const topic = `t-${randomUUID()}`;
    const groupId = `g-${randomUUID()}`;
    await ensureTopics(kafka, [{ name: topic, partitions: 1, replicationFactor: 1, retentionHours: -1 }], {
      brokers,
    });
    await producer.send(topic, [{ key: 'a', value: 'kept' }]);
    const consumer = await createBatchConsumer(kafka, { brokers, groupId, topics: [topic] });
    await consumer.run(async () => {
      throw new Error('handler failed on purpose');
    });
    await expect(consumer.done).rejects.toThrow('handler failed on purpose');
    expect((await consume(topic, groupId, 1)).map((m) => m.value?.toString())).toEqual(['kept']);
  });

  it('fails a send to a dead broker with an UnavailableError within its deadline', async () => {
    const dead = createKafka({ brokers: ['127.0.0.1:1'], retryDeadlineMs: 1_000, connectionTimeoutMs: 300 });
    const started = Date.now();
    const error = await createProducer(dead, { brokers: ['127.0.0.1:1'], deadlineMs: 3_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('consumes every partition whole with a fetch budget smaller than their record batches', async () => {
    // kafkajs decompresses whole fetches, so `process` bounds them (256 KiB by default). The broker
    // returns a batch bigger than the budget only when its partition comes first in the fetch; kafkajs
    // shuffles the partitions of every fetch, so each one comes first often enough.
    const budget = 32 * 1024;
    const topic = `t-${randomUUID()}`;
    await ensureTopics(kafka, [{ name: topic, partitions: 3, replicationFactor: 1, retentionHours: -1 }], {
      brokers,
    });
    const plain = await createProducer(kafka, { brokers, compression: 'none' });
    try {
      for (let round = 0; round < 4; round++) {
        for (const partition of [0, 1, 2]) {
          // One incompressible record batch per send; partition 2's are ten times the budget.
          const size = partition === 2 ? 16 * 1024 : 1024;
          const batch = Array.from({ length: 20 }, (_, i) => ({
            key: `${round}-${i}`,
            value: randomBytes(size),
            partition,
          }));
          await plain.send(topic, batch);
        }
      }
    } finally {
      await plain.close();
    }
    const consumer = await createBatchConsumer(kafka, {
      brokers,
      groupId: `g-${randomUUID()}`,
      topics: [topic],
      maxBytes: budget,
      maxBytesPerPartition: budget,
      maxWaitMs: 200,
    });
    const offsets = new Map<number, string[]>([0, 1, 2].map((p) => [p, []]));
    let count = 0;
    await consumer.run(async (batch) => {
      offsets.get(batch.partition)!.push(...batch.messages.map((m) => m.offset));
      count += batch.messages.length;
    });
    // A handler that threw stops the consumer: consumer.done rejects with it at once.
    await Promise.race([
      waitFor(() => count >= 240, { timeoutMs: 30_000, what: 'all 240 messages consumed' }),
      consumer.done,
    ]);
    await consumer.stop();
    for (const partition of [0, 1, 2]) {
      expect(offsets.get(partition)).toEqual(Array.from({ length: 80 }, (_, i) => String(i)));
    }
  });
});
