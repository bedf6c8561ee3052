import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoringModel, createStrategy } from '../../operators/index.js';
import { createLogger } from '../../pipeline/logger.js';
import { runProcess } from '../../pipeline/runtime/modes/process.js';
import { createBatchConsumer } from '../../pipeline/sources/kafka-consumer.js';
import {
  createProcessWorld,
  type ProcessWorld,
  poisonMessages,
  syntheticMessages,
} from '../support/process-fixture.js';
import { waitFor } from '../support/servers.js';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const logger = createLogger({ level: 'warn' });
let world: ProcessWorld;
let produced = 0;
const poison = poisonMessages(START + 3_600_000);

function run(w: ProcessWorld) {
  return runProcess(
    { kafka: w.kafka, producer: w.producer, clickhouse: w.clickhouse, logger },
    {
      config: w.config,
      groupId: 'process-it',
      engine: { scoring: createScoringModel(), strategy: createStrategy('zscore', 'lookback=3') },
      exitWhenIdle: true,
      flushIntervalMs: 200,
      checkpointIntervalMs: 500,
    },
  );
}

beforeAll(async () => {
  world = await createProcessWorld('proc');
  // 4,000 tweets over about five hours, then damaged payloads in the middle hour.
  const messages = syntheticMessages({ seed: 7, count: 4_000, startTime: START, tweetsPerSecond: 0.22 });
  await world.producer.send(world.config.topics.tweetsRaw, messages);
  await world.producer.send(world.config.topics.tweetsRaw, poison);
  produced = messages.length + poison.length;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('sentiflow process on real Kafka and ClickHouse', () => {
  it('accounts for every consumed message exactly once', async () => {
    const summary = await run(world);
    expect(summary.consumed).toBe(produced);
    expect(summary.stored + summary.dropped + summary.rejected).toBe(produced);
    expect(summary.rejected).toBe(poison.length);
    const [ledger] = await world.rows<{ n: string; stored: string; dropped: string; rejected: string }>(
      `SELECT count() AS n, countIf(outcome = 'stored') AS stored, countIf(outcome = 'dropped') AS dropped,
              countIf(outcome = 'rejected') AS rejected FROM intake FINAL`,
    );
    expect(Number(ledger!.n)).toBe(produced);
    expect(Number(ledger!.rejected)).toBe(poison.length);
    expect(Number(ledger!.stored)).toBe(summary.stored);
    const [stored] = await world.rows<{ n: string }>('SELECT uniqExact(tweet_id) AS n FROM tweets FINAL');
    expect(Number(stored!.n)).toBe(summary.stored);
  });

  it('sends every damaged payload to the DLQ with its reason', async () => {
    const consumer = await createBatchConsumer(world.kafka, {
      brokers: world.config.kafka.brokers,
      groupId: `dlq-reader-${Date.now()}`,
      topics: [world.config.topics.tweetsDlq],
    });
    const reasons: string[] = [];
    await consumer.run(async (batch) => {
      for (const m of batch.messages) reasons.push(m.headers.reason ?? '(none)');
    });
    await waitFor(() => reasons.length >= poison.length, { timeoutMs: 20_000, what: 'DLQ messages' });
    await consumer.stop();
    expect(reasons.sort()).toEqual(
      ['bad_id', 'invalid_json', 'invalid_utf8', 'missing_data', 'not_an_object', 'payload_too_large'].sort(),
    );
  });

  it('writes buckets that agree with the stored tweets, hour by hour', async () => {
    const fromTweets = await world.rows<{ symbol: string; h: number; n: string; s: number }>(
      `SELECT symbol, toUnixTimestamp(toStartOfHour(created_at)) AS h, count() AS n, sum(score) AS s
       FROM tweets FINAL GROUP BY symbol, h ORDER BY symbol, h`,
    );
    const buckets = await world.rows<{ symbol: string; h: number; count: number; score_sum: number }>(
      `SELECT symbol, toUnixTimestamp(bucket_start) AS h, count, score_sum FROM sentiment_hourly FINAL ORDER BY symbol, h`,
    );
    expect(buckets.length).toBeGreaterThan(10);
    expect(buckets.map((b) => [b.symbol, b.h, Number(b.count)])).toEqual(
      fromTweets.map((t) => [t.symbol, t.h, Number(t.n)]),
    );
    for (const [i, b] of buckets.entries()) expect(b.score_sum).toBeCloseTo(fromTweets[i]!.s, 3);
  });

  it('takes exactly one decision per symbol and bucket', async () => {
    const [counts] = await world.rows<{ decisions: string; distinct_ids: string; buckets: string }>(
      `SELECT (SELECT count() FROM signals FINAL) AS decisions, (SELECT uniqExact(decision_id) FROM signals FINAL) AS distinct_ids,
              (SELECT count() FROM sentiment_hourly FINAL) AS buckets`,
    );
    expect(Number(counts!.decisions)).toBe(Number(counts!.buckets));
    expect(Number(counts!.distinct_ids)).toBe(Number(counts!.buckets));
  });

  it('changes nothing when run again over a drained topic', async () => {
    const before = await world.rows<{ n: string }>('SELECT count() AS n FROM intake FINAL');
    const again = await run(world);
    expect(again.consumed).toBe(0);
    const after = await world.rows<{ n: string }>('SELECT count() AS n FROM intake FINAL');
    expect(after).toEqual(before);
  });
});
