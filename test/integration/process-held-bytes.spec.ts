/**
 * Big payloads compress to almost nothing, so one small fetch can hand `process` a batch of many MB:
 * the batch must be flushed piecewise (each flush's dead letters within flushBytes plus one payload),
 * not held and written whole, and every payload still reaches the DLQ exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoringModel, createStrategy } from '../../operators/index.js';
import { createLogger } from '../../pipeline/logger.js';
import { runProcess } from '../../pipeline/runtime/modes/process.js';
import { createProcessWorld, type ProcessWorld } from '../support/process-fixture.js';

const COUNT = 240;
const PAYLOAD = 200_000;
const FLUSH_BYTES = 4 * 1024 * 1024;
const logger = createLogger({ level: 'warn' });
let world: ProcessWorld;

beforeAll(async () => {
  world = await createProcessWorld('held', 1);
  // About 48 MB of payloads that gzip to a few hundred KB: one fetch brings most of them.
  const messages = Array.from({ length: COUNT }, (_, i) => ({
    key: `big-${i}`,
    value: `{"data":{"id":"${i}","text":"${'a'.repeat(PAYLOAD)}"}}`,
    timestamp: Date.UTC(2026, 0, 5) + i,
  }));
  await world.producer.send(world.config.topics.tweetsRaw, messages);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('process holds input by bytes', () => {
  it('flushes a batch of big payloads piecewise and dead-letters each one once', async () => {
    const flushed: number[] = [];
    const summary = await runProcess(
      {
        kafka: world.kafka,
        producer: world.producer,
        clickhouse: world.clickhouse,
        logger,
        onFlush: (out) => flushed.push(out.dlq.reduce((sum, m) => sum + (m.value?.length ?? 0), 0)),
      },
      {
        config: world.config,
        groupId: 'held-it',
        engine: { scoring: createScoringModel(), strategy: createStrategy('zscore', 'lookback=3') },
        exitWhenIdle: true,
        flushBytes: FLUSH_BYTES,
        maxHeldBytes: 2 * FLUSH_BYTES,
        scoreThreads: { count: 1, scoring: {} },
      },
    );
    expect(summary.rejected).toBe(COUNT);
    expect(flushed.reduce((a, b) => a + b, 0)).toBeGreaterThan(COUNT * PAYLOAD);
    expect(flushed.length).toBeGreaterThanOrEqual(Math.floor((COUNT * PAYLOAD) / FLUSH_BYTES));
    expect(Math.max(...flushed)).toBeLessThanOrEqual(FLUSH_BYTES + PAYLOAD + 100);
    const admin = world.kafka.admin();
    await admin.connect();
    const dlq = await admin.fetchTopicOffsets(world.config.topics.tweetsDlq);
    await admin.disconnect();
    expect(dlq.reduce((sum, p) => sum + Number(p.high), 0)).toBe(COUNT);
  });
});
