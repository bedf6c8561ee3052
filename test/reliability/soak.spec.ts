/**
 * Soak (on demand: RELIABILITY_SOAK_MINUTES=30 npm run test:reliability): ingest at a moderate rate
 * (RELIABILITY_SOAK_RATE, default 500/s) for the given minutes while process runs; RSS and lag are
 * sampled every 10 s. RSS must stay flat: the last fifth's mean at most 25% (and 64 MB) above the
 * mean of the second fifth (the first fifth is warm-up: JIT, caches, dedupe tables filling).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/cli.js';
import { createWorld, exitWithin, startCli, type World } from '../support/faults.js';
import { waitFor } from '../support/servers.js';
import { accounting, startSampler } from './measure.js';
import { recordSummary, size } from './summary.js';

const MINUTES = size('RELIABILITY_SOAK_MINUTES', 30, 30);
const RATE = size('RELIABILITY_SOAK_RATE', 500, 500);
const COUNT = Math.round(RATE * MINUTES * 60);
const GROUP = 'reliability-soak';

let world: World;

beforeAll(async () => {
  buildOnce();
  world = await createWorld('rel_soak');
});

afterAll(async () => {
  await world?.close();
});

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

describe(`soak: ${RATE}/s for ${MINUTES} min`, () => {
  it('keeps RSS flat and lag bounded, loses nothing and counts nothing twice', async () => {
    const env = { ...world.env, LOG_LEVEL: 'warn' };
    const processRun = startCli(['process', '--group', GROUP], env);
    // One sample every 10 s (the sampler's slow fields every sample).
    const sampler = startSampler(world, {
      groupId: GROUP,
      pid: () => processRun.child.pid,
      intervalMs: 10_000,
      slowEvery: 1,
    });
    const ingest = startCli(
      ['ingest', '--source', 'synthetic', '--rate', String(RATE), '--count', String(COUNT), '--seed', '17'],
      env,
    );
    expect(await exitWithin(ingest, (MINUTES * 60 + 300) * 1000), ingest.stderr().slice(-2_000)).toBe(0);
    await waitFor(async () => (sampler.samples.at(-1)?.visible ?? 0) >= COUNT, {
      timeoutMs: 300_000,
      intervalMs: 1_000,
      what: 'process to catch up',
    });
    await sampler.stop();
    processRun.child.kill('SIGTERM');
    expect(await exitWithin(processRun, 60_000), processRun.stderr().slice(-2_000)).toBe(0);

    const rss = sampler.samples.map((s) => s.rssMb).filter((r): r is number => r !== null);
    const lag = sampler.samples.map((s) => s.committedLag ?? 0);
    const fifth = Math.max(1, Math.floor(rss.length / 5));
    const warm = mean(rss.slice(fifth, 2 * fifth));
    const end = mean(rss.slice(-fifth));
    process.stderr.write(
      `[soak] RSS every 10 s (MB): ${rss.join(' ')}\n[soak] committed lag every 10 s: ${lag.join(' ')}\n`,
    );
    const acc = await accounting(world, COUNT);
    recordSummary({
      scenario: `soak ${RATE}/s x ${MINUTES} min`,
      messagesIn: COUNT,
      rowsOut: acc.tweets,
      lost: acc.lost,
      duplicated: acc.duplicated,
      recoveryMs: null,
      notes: `RSS warm ${warm.toFixed(0)} MB -> end ${end.toFixed(0)} MB, max lag ${Math.max(...lag)}`,
    });
    expect(acc.lost).toBe(0);
    expect(acc.duplicated).toBe(0);
    expect(end).toBeLessThanOrEqual(Math.max(warm * 1.25, warm + 64));
  });
});
