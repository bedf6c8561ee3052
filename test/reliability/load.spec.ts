/**
 * Load: `sentiflow ingest --source synthetic --rate R` for a fixed time while `sentiflow process`
 * consumes, through real Kafka and ClickHouse. Measures the rate ingest sustained, the consumer lag
 * over time (end offsets minus intake rows visible, and the committed lag), the latency from
 * "acknowledged in tweets.raw" to "intake row visible in ClickHouse" (p50/p99, see measure.ts), and
 * the process's RSS. Asserts nothing lost, nothing counted twice, that the lag drains, and the
 * targets: the source delivered the rate it was asked for (its own account, which it logs when it
 * ends; a shortfall must come with its warning, never quietly) and p99 latency under 2 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/cli.js';
import { createWorld, startCli, type World } from '../support/faults.js';
import { waitFor } from '../support/servers.js';
import { accounting, ackedRate, latencyQuantiles, startSampler } from './measure.js';
import { recordSummary, size } from './summary.js';

const RATE = size('RELIABILITY_RATE', 5_000, 5_000);
const SECONDS = size('RELIABILITY_LOAD_SECONDS', 180, 30);
const COUNT = Math.round(RATE * SECONDS);
const GROUP = 'reliability-load';
/** The rate delivered may fall short of the rate asked for by this much (the last tick, rounding). */
const RATE_TOLERANCE = 0.99;
const P99_TARGET_MS = 2_000;

interface LogLine {
  readonly level?: number;
  readonly msg?: string;
  readonly achievedRate?: number;
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return [];
      }
    });
}

let world: World;

beforeAll(async () => {
  buildOnce();
  world = await createWorld('rel_load');
});

afterAll(async () => {
  await world?.close();
});

describe(`load: ${RATE} tweets/s for ${SECONDS} s`, () => {
  it('keeps up (or says how far it fell behind), loses nothing and counts nothing twice', async () => {
    const env = { ...world.env, LOG_LEVEL: 'warn' };
    const processRun = startCli(['process', '--group', GROUP, '--flush-interval', '500'], env);
    const sampler = startSampler(world, { groupId: GROUP, pid: () => processRun.child.pid, intervalMs: 250 });
    const ingestStarted = Date.now();
    // Ingest logs at info: its few lines include the source's account of the rate it achieved.
    const ingest = startCli(
      ['ingest', '--source', 'synthetic', '--rate', String(RATE), '--count', String(COUNT), '--seed', '9'],
      { ...env, LOG_LEVEL: 'info' },
    );
    expect(await ingest.exited, ingest.stderr().slice(-2_000)).toBe(0);
    const ingestSeconds = (Date.now() - ingestStarted) / 1000;
    const drainStarted = Date.now();
    await waitFor(
      async () =>
        (sampler.samples.at(-1)?.visible ?? 0) >= COUNT ||
        (await Promise.race([processRun.exited, null])) !== null,
      { timeoutMs: Math.max(120_000, SECONDS * 2_000), intervalMs: 250, what: 'process to catch up' },
    );
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    await sampler.stop();
    processRun.child.kill('SIGTERM');
    expect(await processRun.exited, processRun.stderr().slice(-2_000)).toBe(0);

    const samples = sampler.samples;
    const produced = samples.at(-1)?.produced ?? 0;
    const latency = latencyQuantiles(samples, 0, produced);
    const backlog = samples.map((s) => s.produced - s.visible);
    const maxBacklog = Math.max(...backlog);
    const rss = samples.map((s) => s.rssMb).filter((r): r is number => r !== null);
    const lagEvery10s = samples
      .filter((s) => s.committedLag !== null)
      .map((s) => `${Math.round(s.t / 1000)}s:${s.produced - s.visible}/${s.committedLag}`);
    const acc = await accounting(world, COUNT);
    const ingestLog = logLines(ingest.stderr());
    const finished = ingestLog.find((l) => l.msg?.startsWith('synthetic source finished') === true);
    const achieved = finished?.achievedRate ?? Number.NaN;
    const shortfallWarned = ingestLog.some(
      (l) => (l.level ?? 0) >= 40 && /synthetic source .*(behind|held back|below its rate)/.test(l.msg ?? ''),
    );
    const acked = ackedRate(samples, COUNT);
    process.stderr.write(
      `[load] target ${RATE}/s; source achieved ${achieved}/s${shortfallWarned ? ' (and warned it fell short)' : ''}; ` +
        `Kafka acknowledged ${Math.round(acked)}/s; ingest command ${COUNT} in ${ingestSeconds.toFixed(1)} s with start-up = ${Math.round(COUNT / ingestSeconds)}/s; ` +
        `drained ${drainSeconds.toFixed(1)} s after ingest ended; latency p50 ${latency.p50.toFixed(0)} ms, ` +
        `p99 ${latency.p99.toFixed(0)} ms, max ${latency.max.toFixed(0)} ms; backlog max ${maxBacklog}; ` +
        `RSS ${Math.min(...rss)}..${Math.max(...rss)} MB\n[load] lag over time (t: visible backlog/committed lag): ${lagEvery10s.join(' ')}\n`,
    );
    recordSummary({
      scenario: `load ${RATE}/s x ${SECONDS}s`,
      messagesIn: COUNT,
      rowsOut: acc.tweets,
      lost: acc.lost,
      duplicated: acc.duplicated,
      recoveryMs: null,
      notes:
        `source ${achieved}/s, acked ${Math.round(acked)}/s, p50 ${Math.round(latency.p50)} ms, p99 ${Math.round(latency.p99)} ms, ` +
        `max backlog ${maxBacklog}, drain ${drainSeconds.toFixed(1)} s, RSS max ${Math.max(...rss)} MB`,
    });
    expect(produced).toBe(COUNT);
    expect(acc.lost).toBe(0);
    expect(acc.duplicated).toBe(0);
    expect(acc.distinct).toBe(COUNT);
    expect(finished, 'the synthetic source logs the rate it achieved').toBeDefined();
    if (achieved < RATE * RATE_TOLERANCE) {
      expect(shortfallWarned, `the source ran at ${achieved}/s of ${RATE}/s without a warning`).toBe(true);
    }
    expect(
      achieved,
      'rate delivered (the machine could not sustain it: see the warning)',
    ).toBeGreaterThanOrEqual(RATE * RATE_TOLERANCE);
    expect(latency.p99).toBeLessThan(P99_TARGET_MS);
  });
});
