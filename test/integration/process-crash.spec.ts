import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, buildOnce } from '../support/cli.js';
import {
  createProcessWorld,
  type ProcessWorld,
  poisonMessages,
  syntheticMessages,
} from '../support/process-fixture.js';
import { waitFor } from '../support/servers.js';

const START = Date.UTC(2026, 1, 2, 0, 0, 0);
const COUNT = 24_000;
let clean: ProcessWorld;
let crashed: ProcessWorld;

function startProcess(world: ProcessWorld): {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(
    process.execPath,
    [
      binPath,
      'process',
      '--exit-when-idle',
      '--group',
      'crash-it',
      '--checkpoint-interval',
      '300',
      '--flush-interval',
      '100',
    ],
    { env: { ...process.env, ...world.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

async function intakeRows(world: ProcessWorld): Promise<number> {
  const [row] = await world.rows<{ n: string }>('SELECT count() AS n FROM intake');
  return Number(row?.n ?? 0);
}

async function tables(world: ProcessWorld): Promise<Record<string, unknown[]>> {
  return {
    tweets: await world.rows(
      'SELECT symbol, tweet_id, created_at_ms, score, weight FROM tweets FINAL ORDER BY symbol, tweet_id',
    ),
    sentiment_hourly: await world.rows(
      `SELECT symbol, bucket_start, count, score_sum, weighted_score_sum, positive, negative, neutral, distinct_authors,
              first_event_ms, last_event_ms FROM sentiment_hourly FINAL ORDER BY symbol, bucket_start`,
    ),
    signals: await world.rows(
      'SELECT decision_id, action, size, reason, inputs_json FROM signals FINAL ORDER BY decision_id',
    ),
    intake: await world.rows(
      'SELECT partition, offset, outcome, stage, reason FROM intake FINAL ORDER BY partition, offset',
    ),
  };
}

beforeAll(async () => {
  buildOnce();
  [clean, crashed] = await Promise.all([createProcessWorld('clean'), createProcessWorld('crash')]);
  const messages = [
    ...syntheticMessages({ seed: 11, count: COUNT, startTime: START, tweetsPerSecond: 1 }),
    ...poisonMessages(START + 7_200_000),
  ];
  await Promise.all([
    clean.producer.send(clean.config.topics.tweetsRaw, messages),
    crashed.producer.send(crashed.config.topics.tweetsRaw, messages),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([clean?.close(), crashed?.close()]);
});

describe('process killed at random points', () => {
  it('leaves exactly the tables of an uninterrupted run', async () => {
    const started = Date.now();
    const uninterrupted = startProcess(clean);
    expect(await uninterrupted.exited, uninterrupted.stderr()).toBe(0);
    process.stderr.write(`[crash test] uninterrupted run: ${Date.now() - started} ms\n`);

    // Kill points spread over the run: after roughly 15%, 35%, 55% and 80% of the input was seen.
    for (const share of [0.15, 0.35, 0.55, 0.8]) {
      const run = startProcess(crashed);
      const target = Math.floor(COUNT * share);
      await waitFor(
        async () =>
          (await intakeRows(crashed)) >= target || (await Promise.race([run.exited, null])) !== null,
        {
          timeoutMs: 90_000,
          what: `intake rows >= ${target}`,
        },
      );
      run.child.kill('SIGKILL');
      await run.exited;
    }
    const last = startProcess(crashed);
    expect(await last.exited, last.stderr()).toBe(0);

    const [want, got] = await Promise.all([tables(clean), tables(crashed)]);
    expect(want.intake).toHaveLength(COUNT + poisonMessages(0).length);
    expect(want.sentiment_hourly?.length).toBeGreaterThan(20);
    for (const name of Object.keys(want)) expect(got[name], name).toEqual(want[name]);
  }, 400_000);
});
