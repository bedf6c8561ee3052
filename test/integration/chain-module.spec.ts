/**
 * A chain module of the user's own (SENTIFLOW_CHAIN_MODULE, README "One runtime, your own operators"),
 * on real Kafka and ClickHouse: `process` (score threads), the split stages and the backtest's replay
 * all run it — each drops what its extra filter drops, and they close the same buckets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoringModel, createStrategy } from '../../operators/index.js';
import { loadConfig } from '../../pipeline/config.js';
import { createLogger } from '../../pipeline/logger.js';
import { runProcess } from '../../pipeline/runtime/modes/process.js';
import { replayBuckets } from '../../pipeline/runtime/modes/replay.js';
import { runScoreStage, runWindowStage } from '../../pipeline/runtime/modes/split.js';
import { topicSpecs } from '../../pipeline/topics.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import { createProcessWorld, type ProcessWorld, syntheticMessages } from '../support/process-fixture.js';

const chainModule = new URL('../fixtures/chain/moon-only.ts', import.meta.url).href;
const START = Date.UTC(2026, 0, 5, 9);
const logger = createLogger({ level: 'warn' });
const messages = syntheticMessages({ seed: 11, count: 3_000, startTime: START, tweetsPerSecond: 0.2 });
const engine = () => ({ scoring: createScoringModel(), strategy: createStrategy('zscore', 'lookback=3') });
const timing = { exitWhenIdle: true, flushIntervalMs: 200, checkpointIntervalMs: 500 };
let single: ProcessWorld;
let split: ProcessWorld;

beforeAll(async () => {
  [single, split] = await Promise.all([createProcessWorld('chain_one'), createProcessWorld('chain_split')]);
  await Promise.all([single, split].map((w) => w.producer.send(w.config.topics.tweetsRaw, messages)));
}, 120_000);

afterAll(async () => {
  await Promise.all([single?.close(), split?.close()]);
});

const deps = (w: ProcessWorld) => ({
  kafka: w.kafka,
  producer: w.producer,
  clickhouse: w.clickhouse,
  logger,
});

async function outcome(w: ProcessWorld) {
  const [ledger] = await w.rows<{ moonless: string; stored: string; kept: string }>(
    `SELECT countIf(reason = 'no_moon') AS moonless, countIf(outcome = 'stored') AS stored,
            (SELECT count() FROM tweets FINAL WHERE positionCaseInsensitive(text, 'moon') > 0) AS kept
     FROM intake FINAL`,
  );
  const hourly = await w.rows<{ symbol: string; h: number; count: string }>(
    'SELECT symbol, toUnixTimestamp(bucket_start) AS h, count FROM sentiment_hourly FINAL ORDER BY symbol, h',
  );
  return { ledger, hourly: hourly.map((b) => [b.symbol, b.h * 1000, Number(b.count)]) };
}

describe('a chain module of your own, on real servers', () => {
  it('is what process, the split stages and the backtest replay run', { timeout: 180_000 }, async () => {
    await runProcess(deps(single), {
      config: single.config,
      groupId: 'chain-all',
      engine: engine(),
      scoreThreads: { count: 2, scoring: {} },
      chainModule,
      ...timing,
    });
    const config = loadConfig({ env: { ...split.env } });
    await ensureTopics(split.kafka, topicSpecs(config.topics), { brokers: config.kafka.brokers });
    const stage = { config, engine: engine(), chainModule, ...timing };
    await runScoreStage(deps(split), { ...stage, groupId: 'chain-split' });
    await runWindowStage(deps(split), { ...stage, groupId: 'chain-split' });
    const replay = await replayBuckets(single.kafka, {
      topic: single.config.topics.tweetsRaw,
      brokers: single.config.kafka.brokers,
      from: START - 3_600_000,
      to: START + 48 * 3_600_000,
      config: single.config,
      strategy: createStrategy('zscore', 'lookback=3'),
      scoreThreads: 2,
      chainModule,
    });

    const live = await outcome(single);
    expect(Number(live.ledger?.moonless)).toBeGreaterThan(100);
    expect(Number(live.ledger?.stored)).toBeGreaterThan(10);
    // Every stored tweet mentions the moon (one row per symbol, so at least as many rows as tweets).
    expect(Number(live.ledger?.kept)).toBeGreaterThanOrEqual(Number(live.ledger?.stored));
    expect(await outcome(split)).toEqual(live);
    // Without the extra filter the replay would store many more.
    expect(replay.stored).toBe(Number(live.ledger?.stored));
    expect(replay.buckets.map((b) => [b.symbol, b.start, b.count]).sort()).toEqual([...live.hourly].sort());
  });
});
