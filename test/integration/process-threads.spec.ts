/**
 * `process` with score threads writes exactly the tables the single-threaded process writes (tweets,
 * intake, sentiment_hourly, signals, the final checkpoint and the DLQ), including after being stopped
 * mid-stream and started again from its checkpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoringModel, createStrategy } from '../../operators/index.js';
import { createLogger } from '../../pipeline/logger.js';
import { type LiveDeps, type ProcessOptions, runProcess } from '../../pipeline/runtime/modes/process.js';
import { createBatchConsumer } from '../../pipeline/sources/kafka-consumer.js';
import type { OutgoingMessage } from '../../sinks/kafka/producer.js';
import {
  createProcessWorld,
  type ProcessWorld,
  poisonMessages,
  syntheticMessages,
} from '../support/process-fixture.js';
import { waitFor } from '../support/servers.js';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const logger = createLogger({ level: 'warn' });
const worlds: ProcessWorld[] = [];

/** Synthetic tweets, some with text TSV must escape, and the poison payloads. */
function input(): OutgoingMessage[] {
  const extras = [' tab\there', ' line\nbreak', ' back\\slash', " it's", ' cr\rhere'];
  const messages = syntheticMessages({ seed: 9, count: 3_000, startTime: START, tweetsPerSecond: 0.2 }).map(
    (m, i) => {
      if (i % 11 !== 0) return m;
      const e = JSON.parse(String(m.value)) as { data: { text: string } };
      e.data.text += extras[i % extras.length];
      return { ...m, value: JSON.stringify(e) };
    },
  );
  return [...messages, ...poisonMessages(START + 3_600_000)];
}

async function world(name: string): Promise<ProcessWorld> {
  const w = await createProcessWorld(name);
  worlds.push(w);
  // Small sends make small record batches, so small fetches can stop a run after a few of them.
  const messages = input();
  for (let at = 0; at < messages.length; at += 100) {
    await w.producer.send(w.config.topics.tweetsRaw, messages.slice(at, at + 100));
  }
  return w;
}

function run(w: ProcessWorld, extra: Partial<ProcessOptions> = {}, hooks: Partial<LiveDeps> = {}) {
  return runProcess(
    { kafka: w.kafka, producer: w.producer, clickhouse: w.clickhouse, logger, ...hooks },
    {
      config: w.config,
      groupId: 'process-threads-it',
      engine: { scoring: createScoringModel(), strategy: createStrategy('zscore', 'lookback=3') },
      exitWhenIdle: true,
      flushIntervalMs: 200,
      checkpointIntervalMs: 300,
      fetchBytes: 64 * 1024,
      ...extra,
    },
  );
}

const threads = { scoreThreads: { count: 2, scoring: {} } } as const;

/**
 * The checkpoint's state, open buckets and their authors sorted: they are filled in the order the
 * partitions happened to interleave (which no output depends on), in either mode.
 */
function withSortedAuthors(state: string): unknown {
  const parsed = JSON.parse(state) as {
    window: { buckets: { symbol: string; start: number; authorKeys: number[] }[] };
  };
  for (const b of parsed.window.buckets) b.authorKeys.sort((x, y) => x - y);
  parsed.window.buckets.sort((a, b) => a.symbol.localeCompare(b.symbol) || a.start - b.start);
  return parsed;
}

async function tables(w: ProcessWorld) {
  return {
    tweets: await w.rows('SELECT * FROM tweets FINAL ORDER BY symbol, created_at, tweet_id'),
    // The worlds' topic names differ; everything else must not.
    intake: await w.rows(
      'SELECT partition, offset, event_hour, tweet_id, outcome, stage, reason FROM intake FINAL ORDER BY partition, offset',
    ),
    buckets: await w.rows('SELECT * FROM sentiment_hourly FINAL ORDER BY symbol, bucket_start'),
    signals: await w.rows('SELECT * FROM signals FINAL ORDER BY decision_id'),
    checkpoint: (
      await w.rows<{ offsets: string; state: string }>('SELECT offsets, state FROM process_checkpoints FINAL')
    ).map((c) => ({ offsets: c.offsets, state: withSortedAuthors(c.state) })),
  };
}

async function dlq(w: ProcessWorld): Promise<string[]> {
  const consumer = await createBatchConsumer(w.kafka, {
    brokers: w.config.kafka.brokers,
    groupId: `dlq-reader-${Date.now()}`,
    topics: [w.config.topics.tweetsDlq],
  });
  const seen: string[] = [];
  await consumer.run(async (batch) => {
    // The key is topic:partition:offset; the worlds' topic names differ.
    for (const m of batch.messages) {
      const at = String(m.key).split(':').slice(-2).join(':');
      seen.push(`${at}|${m.headers.reason}|${m.headers.stage}|${m.value?.length ?? -1}`);
    }
  });
  await waitFor(() => seen.length >= poisonMessages(0).length, { timeoutMs: 20_000, what: 'DLQ messages' });
  await consumer.stop();
  return seen.sort();
}

let single: ProcessWorld;
let threaded: ProcessWorld;
let restarted: ProcessWorld;

beforeAll(async () => {
  [single, threaded, restarted] = await Promise.all([world('pt1'), world('pt2'), world('pt3')]);
}, 120_000);

afterAll(async () => {
  await Promise.all(worlds.map((w) => w.close()));
});

describe('process with score threads on real Kafka and ClickHouse', () => {
  it('writes the tables and the DLQ the single-threaded process writes', { timeout: 120_000 }, async () => {
    const one = await run(single);
    const two = await run(threaded, threads);
    expect(two).toMatchObject({ ...one, checkpoints: expect.any(Number) });
    const expected = await tables(single);
    expect(expected.tweets.length).toBeGreaterThan(1_000);
    expect(await tables(threaded)).toEqual(expected);
    expect(await dlq(threaded)).toEqual(await dlq(single));
  });

  it('resumes from a checkpoint taken mid-stream to the same tables', { timeout: 120_000 }, async () => {
    const controller = new AbortController();
    const first = await run(
      restarted,
      // Small fetches and a checkpoint at every flush: it stops after a few batches.
      {
        ...threads,
        signal: controller.signal,
        flushInputs: 50,
        fetchBytes: 8 * 1024,
        checkpointIntervalMs: 0,
      },
      { onCommitted: () => controller.abort() },
    );
    expect(first.consumed).toBeGreaterThan(0);
    expect(first.consumed).toBeLessThan(3_006);
    const rest = await run(restarted, threads);
    expect(first.consumed + rest.consumed).toBe(3_006);
    const expected = await tables(single);
    const got = await tables(restarted);
    expect(got.tweets).toEqual(expected.tweets);
    expect(got.intake).toEqual(expected.intake);
    expect(got.buckets).toEqual(expected.buckets);
    expect(got.signals).toEqual(expected.signals);
    expect(got.checkpoint).toEqual(expected.checkpoint);
  });
});
