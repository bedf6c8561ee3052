import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoringModel, createStrategy } from '../../operators/index.js';
import { type Config, loadConfig } from '../../pipeline/config.js';
import { createLogger } from '../../pipeline/logger.js';
import { runProcess } from '../../pipeline/runtime/modes/process.js';
import {
  runScoreStage,
  runWindowStage,
  type ScoreStageSummary,
  type WindowStageSummary,
} from '../../pipeline/runtime/modes/split.js';
import type { OutputBatch } from '../../pipeline/runtime/output/collector.js';
import { topicSpecs } from '../../pipeline/topics.js';
import type { OutgoingMessage } from '../../sinks/kafka/producer.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import {
  createProcessWorld,
  type ProcessWorld,
  poisonMessages,
  syntheticMessages,
} from '../support/process-fixture.js';
import { waitFor } from '../support/servers.js';

const START = Date.UTC(2026, 2, 3, 0, 0, 0);
const HOUR = 3_600_000;
const logger = createLogger({ level: 'warn' });
const engine = { scoring: createScoringModel(), strategy: createStrategy('zscore', 'lookback=3') };
const timing = { flushIntervalMs: 150, checkpointIntervalMs: 400, flushInputs: 500 };

// Five hours of tweets whose created_at runs up to 12 minutes out of order (beyond the window's 5-minute
// bound plus 5 minutes of lateness, so some arrive late), with damaged payloads in the middle.
const synthetic = syntheticMessages({
  seed: 11,
  count: 4_000,
  startTime: START,
  tweetsPerSecond: 0.22,
  maxJitterMs: 12 * 60_000,
});
const messages: OutgoingMessage[] = [
  ...synthetic.slice(0, 2_000),
  ...poisonMessages(START + 2 * HOUR),
  ...synthetic.slice(2_000),
];

let single: ProcessWorld;
let split: ProcessWorld;
let splitConfig: Config;
let admin: Admin;

beforeAll(async () => {
  [single, split] = await Promise.all([
    createProcessWorld('scale_one', 4),
    createProcessWorld('scale_two', 4),
  ]);
  splitConfig = loadConfig({
    env: { ...split.env, TOPIC_TWEETS_SCORED: `${split.config.topics.tweetsRaw}.scored` },
  });
  await ensureTopics(split.kafka, topicSpecs(splitConfig.topics), { brokers: splitConfig.kafka.brokers });
  await single.producer.send(single.config.topics.tweetsRaw, messages);
  admin = split.kafka.admin();
  await admin.connect();
}, 120_000);

afterAll(async () => {
  await admin?.disconnect();
  await Promise.all([single?.close(), split?.close()]);
});

/** True once the group has committed every partition of the topic up to its end. */
async function committedToEnd(groupId: string, topic: string): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const at = new Map((committed?.partitions ?? []).map((c) => [c.partition, BigInt(c.offset)] as const));
  return ends.every((e) => (at.get(e.partition) ?? -1n) >= BigInt(e.high));
}

/** The ids of tweets the window found late (the split stage sees a tweet once per symbol). */
function lateTweets(): { onFlush: (out: OutputBatch) => void; ids: () => string[] } {
  const ids = new Set<string>();
  return {
    onFlush: (out) => {
      for (const d of out.late) ids.add(d.tweetId ?? '');
    },
    ids: () => [...ids].sort(),
  };
}

interface Member<S> {
  readonly done: Promise<S>;
  readonly stop: () => void;
  /** This member's partitions after the latest rebalance. */
  readonly partitions: () => readonly number[];
}

function member<S>(
  start: (hooks: {
    onAssignment: (partitions: readonly number[]) => void;
    signal: AbortSignal;
  }) => Promise<S>,
): Member<S> {
  const controller = new AbortController();
  let held: readonly number[] = [];
  const done = start({ onAssignment: (p) => (held = p), signal: controller.signal });
  return { done, stop: () => controller.abort(), partitions: () => held };
}

const deps = (w: ProcessWorld) => ({
  kafka: w.kafka,
  producer: w.producer,
  clickhouse: w.clickhouse,
  logger,
});

async function tables(w: ProcessWorld) {
  const [intake, tweets, hourly, signals] = await Promise.all([
    w.rows(
      `SELECT partition, offset, event_hour, tweet_id, outcome, stage, reason FROM intake FINAL
       ORDER BY partition, offset`,
    ),
    w.rows(
      'SELECT symbol, tweet_id, created_at_ms, score, weight FROM tweets FINAL ORDER BY symbol, tweet_id',
    ),
    w.rows(
      `SELECT symbol, bucket_start, count, score_sum, score_mean, weight_sum, weighted_score_sum, weighted_mean,
              positive, negative, neutral, distinct_authors, first_event_ms, last_event_ms
       FROM sentiment_hourly FINAL ORDER BY symbol, bucket_start`,
    ),
    w.rows(
      `SELECT decision_id, strategy, symbol, bucket_start, decided_at, action, size, reason, inputs_json
       FROM signals FINAL ORDER BY decision_id`,
    ),
  ]);
  return { intake, tweets, hourly, signals };
}

describe('process scale-out: score and window stages in consumer groups', () => {
  it('two score and two window instances write the tables one process writes', async () => {
    // Given: the single process over world A.
    const one = lateTweets();
    const summary = await runProcess(
      { ...deps(single), onFlush: one.onFlush },
      { config: single.config, groupId: 'scale-all', engine, exitWhenIdle: true, ...timing },
    );
    expect(summary.consumed).toBe(messages.length);

    // When: two score and two window instances share world B's partitions while the data arrives.
    const twoLate = lateTweets();
    const scorers = [0, 1].map(() =>
      member<ScoreStageSummary>((hooks) =>
        runScoreStage(
          { ...deps(split), onAssignment: hooks.onAssignment },
          { config: splitConfig, groupId: 'scale-score', engine, signal: hooks.signal, ...timing },
        ),
      ),
    );
    const windows = [0, 1].map(() =>
      member<WindowStageSummary>((hooks) =>
        runWindowStage(
          { ...deps(split), onAssignment: hooks.onAssignment, onFlush: twoLate.onFlush },
          { config: splitConfig, groupId: 'scale-window', engine, signal: hooks.signal, ...timing },
        ),
      ),
    );
    const all = [...scorers, ...windows];
    try {
      await waitFor(() => all.every((m) => m.partitions().length === 2), {
        timeoutMs: 30_000,
        what: 'each instance holding two of the four partitions',
      });
      await split.producer.send(splitConfig.topics.tweetsRaw, messages);
      await waitFor(() => committedToEnd('scale-score', splitConfig.topics.tweetsRaw), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'score stage committed to the end of tweets.raw',
      });
      await waitFor(() => committedToEnd('scale-window', splitConfig.topics.tweetsScored), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'window stage committed to the end of tweets.scored',
      });
    } finally {
      for (const m of all) m.stop();
    }
    const scored = await Promise.all(scorers.map((m) => m.done));
    const windowed = await Promise.all(windows.map((m) => m.done));
    // End of input: window instances close what is still open, from the partitions' checkpoints.
    const finishers = await Promise.all(
      [0, 1].map(() =>
        runWindowStage(deps(split), {
          config: splitConfig,
          groupId: 'scale-window',
          engine,
          exitWhenIdle: true,
          ...timing,
        }),
      ),
    );

    // Then: the work was shared, every input is accounted for once, and the tables are identical.
    for (const s of [...scored, ...windowed]) expect(s.consumed).toBeGreaterThan(0);
    expect(scored.reduce((n, s) => n + s.stored + s.dropped + s.rejected, 0)).toBe(messages.length);
    expect(finishers.every((f) => f.consumed === 0)).toBe(true);
    expect(one.ids().length).toBeGreaterThan(0);
    expect(twoLate.ids()).toEqual(one.ids());

    const a = await tables(single);
    const b = await tables(split);
    expect(a.intake.length).toBe(messages.length);
    expect(a.hourly.length).toBeGreaterThan(20);
    expect(a.signals.length).toBe(a.hourly.length);
    expect(b.intake).toEqual(a.intake);
    expect(b.tweets).toEqual(a.tweets);
    expect(b.hourly).toEqual(a.hourly);
    expect(b.signals).toEqual(a.signals);
  }, 180_000);

  it('closes quiet hours live when the score stage marks idle partitions by wall-clock time', async () => {
    // Given: an hour of tweets ending two hours ago, and nothing after it.
    const world = await createProcessWorld('scale_idle', 2);
    try {
      const config = loadConfig({
        env: { ...world.env, TOPIC_TWEETS_SCORED: `${world.config.topics.tweetsRaw}.scored` },
      });
      await ensureTopics(world.kafka, topicSpecs(config.topics), { brokers: config.kafka.brokers });
      const hourStart = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
      const quiet = syntheticMessages({ seed: 3, count: 300, startTime: hourStart, tweetsPerSecond: 0.1 });
      await world.producer.send(config.topics.tweetsRaw, quiet);
      const lastHour = Math.floor(Math.max(...quiet.map((m) => m.timestamp ?? 0)) / HOUR) * HOUR;

      // When: both stages run live (no end of input), the score stage with an idle watermark.
      const scorer = member((hooks) =>
        runScoreStage(deps(world), {
          config,
          groupId: 'idle-score',
          engine,
          signal: hooks.signal,
          idleWatermarkMs: 500,
          ...timing,
        }),
      );
      const window = member((hooks) =>
        runWindowStage(deps(world), {
          config,
          groupId: 'idle-window',
          engine,
          signal: hooks.signal,
          ...timing,
        }),
      );
      try {
        // Then: the newest hour closes too, which only a wall-clock mark can do while live.
        await waitFor(
          async () => {
            const rows = await world.rows<{ n: string }>(
              `SELECT count() AS n FROM sentiment_hourly WHERE toUnixTimestamp(bucket_start) = ${lastHour / 1000}`,
            );
            return Number(rows[0]?.n ?? 0) > 0;
          },
          { timeoutMs: 60_000, intervalMs: 250, what: 'the last quiet hour closed' },
        );
      } finally {
        scorer.stop();
        window.stop();
        await Promise.all([scorer.done, window.done]);
      }
    } finally {
      await world.close();
    }
  }, 120_000);
});
