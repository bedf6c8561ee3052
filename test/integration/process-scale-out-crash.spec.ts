import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStrategy } from '../../operators/index.js';
import { engineOptionsFrom, loadConfig } from '../../pipeline/config.js';
import { createLogger } from '../../pipeline/logger.js';
import { runProcess } from '../../pipeline/runtime/modes/process.js';
import { topicSpecs } from '../../pipeline/topics.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import { binPath, buildOnce } from '../support/cli.js';
import {
  createProcessWorld,
  type ProcessWorld,
  poisonMessages,
  syntheticMessages,
} from '../support/process-fixture.js';
import { waitFor } from '../support/servers.js';

const START = Date.UTC(2026, 3, 6, 0, 0, 0);
const COUNT = 12_000;
const logger = createLogger({ level: 'warn' });
let clean: ProcessWorld;
let crashed: ProcessWorld;
let crashedEnv: Record<string, string>;

function start(stage: 'score' | 'window'): {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const args = ['process', '--stage', stage, '--exit-when-idle', '--group', 'split-crash'];
  const timing = ['--checkpoint-interval', '300', '--flush-interval', '100', '--strategy', 'zscore'];
  const child = spawn(
    process.execPath,
    [binPath, ...args, ...timing, '--param', 'lookback=3', '--no-trade'],
    {
      env: { ...process.env, ...crashedEnv, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

async function count(world: ProcessWorld, query: string): Promise<number> {
  const [row] = await world.rows<{ n: string }>(query);
  return Number(row?.n ?? 0);
}

/** Runs a stage, kills it with SIGKILL once `progress` reaches each target, then runs it to the end. */
async function killAndFinish(stage: 'score' | 'window', progress: () => Promise<number>, targets: number[]) {
  for (const target of targets) {
    const run = start(stage);
    await waitFor(
      async () => (await progress()) >= target || (await Promise.race([run.exited, null])) !== null,
      {
        timeoutMs: 90_000,
        what: `${stage} progress >= ${target}`,
      },
    );
    run.child.kill('SIGKILL');
    await run.exited;
  }
  const last = start(stage);
  expect(await last.exited, last.stderr()).toBe(0);
}

async function tables(world: ProcessWorld): Promise<Record<string, unknown[]>> {
  return {
    intake: await world.rows(
      'SELECT partition, offset, outcome, stage, reason FROM intake FINAL ORDER BY partition, offset',
    ),
    tweets: await world.rows(
      'SELECT symbol, tweet_id, created_at_ms, score, weight FROM tweets FINAL ORDER BY symbol, tweet_id',
    ),
    sentiment_hourly: await world.rows(
      `SELECT symbol, bucket_start, count, score_sum, weighted_score_sum, positive, negative, neutral,
              distinct_authors, first_event_ms, last_event_ms FROM sentiment_hourly FINAL ORDER BY symbol, bucket_start`,
    ),
    signals: await world.rows(
      'SELECT decision_id, action, size, reason, inputs_json FROM signals FINAL ORDER BY decision_id',
    ),
  };
}

beforeAll(async () => {
  buildOnce();
  [clean, crashed] = await Promise.all([
    createProcessWorld('split_clean'),
    createProcessWorld('split_crash'),
  ]);
  crashedEnv = { ...crashed.env, TOPIC_TWEETS_SCORED: `${crashed.config.topics.tweetsRaw}.scored` };
  const config = loadConfig({ env: crashedEnv });
  await ensureTopics(crashed.kafka, topicSpecs(config.topics), { brokers: config.kafka.brokers });
  const messages = [
    ...syntheticMessages({
      seed: 5,
      count: COUNT,
      startTime: START,
      tweetsPerSecond: 0.5,
      maxJitterMs: 12 * 60_000,
    }),
    ...poisonMessages(START + 3 * 3_600_000),
  ];
  await Promise.all([
    clean.producer.send(clean.config.topics.tweetsRaw, messages),
    crashed.producer.send(crashed.config.topics.tweetsRaw, messages),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([clean?.close(), crashed?.close()]);
});

describe('split process stages killed at random points', () => {
  it('leave exactly the tables of one uninterrupted process', async () => {
    await runProcess(
      { kafka: clean.kafka, producer: clean.producer, clickhouse: clean.clickhouse, logger },
      {
        config: clean.config,
        groupId: 'split-clean',
        // The scorer the killed CLI processes build from the same config.
        engine: {
          scoring: engineOptionsFrom(clean.config).scoring,
          strategy: createStrategy('zscore', 'lookback=3'),
        },
        exitWhenIdle: true,
        flushIntervalMs: 100,
        checkpointIntervalMs: 300,
      },
    );

    // Score stage killed twice (its replays resend records the window must skip), then the window stage.
    await killAndFinish('score', () => count(crashed, 'SELECT count() AS n FROM intake'), [
      Math.floor(COUNT * 0.3),
      Math.floor(COUNT * 0.7),
    ]);
    const windowCheckpoints = `SELECT count() AS n FROM process_checkpoints WHERE group_id = 'split-crash-window'`;
    await killAndFinish('window', () => count(crashed, windowCheckpoints), [2]);

    const [want, got] = await Promise.all([tables(clean), tables(crashed)]);
    expect(want.intake).toHaveLength(COUNT + poisonMessages(0).length);
    expect(want.sentiment_hourly?.length).toBeGreaterThan(20);
    for (const name of Object.keys(want)) expect(got[name], name).toEqual(want[name]);
  }, 300_000);
});
