import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
const COUNT = 100_000;
let clean: ProcessWorld;
let crashed: ProcessWorld;
/**
 * A cut every 5,000 inputs (the default is 20,000): at least 20 flushes a run, so the kills below,
 * placed by flush count, land while work is left however fast the machine is. With 20,000 a run's
 * count rested on its time-based flushes, and a loaded machine gave 10-11 where 14 are needed.
 */
let configFile: string;

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
      '200',
      '--flush-interval',
      '100',
    ],
    {
      // A killed member holds its partitions for the session timeout: 6 s (the broker's least) rather
      // than 30 s, so each restart gets to work soon and the kills land while there is work left.
      // Debug: each flush is a log line, which is where the kills are placed (and each committed checkpoint).
      // Checkpoints at every --checkpoint-interval, however big the state: a run gets further at each.
      env: {
        ...process.env,
        ...world.env,
        SENTIFLOW_CONFIG: configFile,
        KAFKA_SESSION_TIMEOUT_MS: '6000',
        LOG_LEVEL: 'debug',
        PROCESS_CHECKPOINT_BYTES_PER_S: '1000000000',
      },
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

/** How many times a run logged `msg` so far (debug: each flush, each committed checkpoint). */
function logged(stderr: string, msg: string): number {
  return stderr.split(`"msg":"${msg}"`).length - 1;
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
  configFile = join(mkdtempSync(join(tmpdir(), 'sentiflow-crash-')), 'config.json');
  writeFileSync(configFile, JSON.stringify({ process: { flushInputs: 5_000 } }));
  [clean, crashed] = await Promise.all([createProcessWorld('clean'), createProcessWorld('crash')]);
  const messages = [
    ...syntheticMessages({ seed: 11, count: COUNT, startTime: START, tweetsPerSecond: 1 }),
    ...poisonMessages(START + 7_200_000),
  ];
  // In slices: one send of them all is one request bigger than the producer's deadline allows here.
  for (let at = 0; at < messages.length; at += 10_000) {
    const slice = messages.slice(at, at + 10_000);
    await Promise.all([
      clean.producer.send(clean.config.topics.tweetsRaw, slice),
      crashed.producer.send(crashed.config.topics.tweetsRaw, slice),
    ]);
  }
}, 180_000);

afterAll(async () => {
  await Promise.all([clean?.close(), crashed?.close()]);
  if (configFile) rmSync(dirname(configFile), { recursive: true, force: true });
});

describe('process killed at random points', () => {
  it('leaves exactly the tables of an uninterrupted run', async () => {
    const started = Date.now();
    const uninterrupted = startProcess(clean);
    expect(await uninterrupted.exited, uninterrupted.stderr()).toBe(0);
    process.stderr.write(`[crash test] uninterrupted run: ${Date.now() - started} ms\n`);

    // Four kills while a run is at work, placed by what the run has done rather than by time (a fast
    // run used to finish before a timed kill came): after its n-th flush, plus a delay that moves the
    // kill from just after a flush into the fetches, flushes and checkpoint writes that follow. A run
    // gets further only at its checkpoints, so the later kills find some work done and some left.
    // Each kill must find the run at work.
    const flushes = logged(uninterrupted.stderr(), 'flushed');
    const checkpoints = logged(uninterrupted.stderr(), 'checkpoint committed');
    process.stderr.write(`[crash test] uninterrupted run: ${flushes} flushes, ${checkpoints} checkpoints\n`);
    const kills: readonly (readonly [flushes: number, delayMs: number])[] = [
      [2, 0],
      [4, 40],
      [3, 100],
      [2, 15],
    ];
    // The four runs get at most 11 flushes' worth further: the last one still has work.
    expect(flushes, 'flushes of the uninterrupted run').toBeGreaterThanOrEqual(14);
    for (const [kill, [after, delayMs]] of kills.entries()) {
      const run = startProcess(crashed);
      await waitFor(
        async () =>
          logged(run.stderr(), 'flushed') >= after || (await Promise.race([run.exited, null])) !== null,
        { timeoutMs: 90_000, intervalMs: 10, what: `flush ${after} of the restarted process` },
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const before = await Promise.race([run.exited, 'running']);
      run.child.kill('SIGKILL');
      await run.exited;
      process.stderr.write(
        `[crash test] kill ${kill + 1}, ${delayMs} ms after flush ${after}, ${logged(run.stderr(), 'checkpoint committed')} checkpoints in: ${await intakeRows(crashed)} inputs in intake\n`,
      );
      expect(before, `kill ${kill + 1} found the run at work`).toBe('running');
    }
    const last = startProcess(crashed);
    expect(await last.exited, last.stderr()).toBe(0);

    const [want, got] = await Promise.all([tables(clean), tables(crashed)]);
    expect(want.intake).toHaveLength(COUNT + poisonMessages(0).length);
    expect(want.sentiment_hourly?.length).toBeGreaterThan(20);
    for (const name of Object.keys(want)) expect(got[name], name).toEqual(want[name]);
  }, 400_000);
});
