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
    {
      // A killed member holds its partitions for the session timeout: 6 s (the broker's least) rather
      // than 30 s, so each restart gets to work soon and the kills land while there is work left.
      env: { ...process.env, ...world.env, KAFKA_SESSION_TIMEOUT_MS: '6000', LOG_LEVEL: 'info' },
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

async function intakeRows(world: ProcessWorld): Promise<number> {
  // Distinct inputs: a restart writes again what its predecessor wrote after the last checkpoint.
  const [row] = await world.rows<{ n: string }>('SELECT uniqExact(partition, offset) AS n FROM intake');
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

    // Four kills while a run is at work: once it joined the group (a restart first waits out the
    // killed member's session), after shares of the uninterrupted run's time. The delays choose where
    // to kill; they wait for nothing. The kills land mid-fetch, mid-flush or mid-checkpoint on a slow
    // machine as on a fast one, sometimes while a dead member still holds some partitions; the log
    // line says where.
    const uninterruptedMs = Date.now() - started;
    for (const [kill, share] of [0.25, 0.4, 0.3, 0.45].entries()) {
      const run = startProcess(crashed);
      await waitFor(
        async () =>
          run.stderr().includes('joined the consumer group') ||
          (await Promise.race([run.exited, null])) !== null,
        { timeoutMs: 90_000, intervalMs: 20, what: 'the restarted process in the group' },
      );
      const at = Math.round(uninterruptedMs * share);
      await new Promise((resolve) => setTimeout(resolve, at));
      const before = await Promise.race([run.exited, 'running']);
      run.child.kill('SIGKILL');
      await run.exited;
      process.stderr.write(
        `[crash test] kill ${kill + 1}, ${at} ms after joining (${before === 'running' ? 'running' : `had exited ${before}`}): ${await intakeRows(crashed)} inputs in intake\n`,
      );
    }
    const last = startProcess(crashed);
    expect(await last.exited, last.stderr()).toBe(0);

    const [want, got] = await Promise.all([tables(clean), tables(crashed)]);
    expect(want.intake).toHaveLength(COUNT + poisonMessages(0).length);
    expect(want.sentiment_hourly?.length).toBeGreaterThan(20);
    for (const name of Object.keys(want)) expect(got[name], name).toEqual(want[name]);
  }, 400_000);
});
