/**
 * Load: `sentiflow ingest --source synthetic --rate R` for a fixed time while `sentiflow process`
 * consumes, through real Kafka and ClickHouse. Measures the rate ingest sustained, the consumer lag
 * over time (end offsets minus intake rows visible, and the committed lag), the latency from
 * "acknowledged in tweets.raw" to "intake row visible in ClickHouse" (p50/p99, see measure.ts), and
 * the process's RSS. Asserts nothing lost, nothing counted twice, and that the lag drains.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/cli.js';
import { createWorld, startCli, type World } from '../support/faults.js';
import { waitFor } from '../support/servers.js';
import { accounting, latencyQuantiles, startSampler } from './measure.js';
import { recordSummary, size } from './summary.js';

const RATE = size('RELIABILITY_RATE', 5_000, 5_000);
const SECONDS = size('RELIABILITY_LOAD_SECONDS', 180, 30);
const COUNT = Math.round(RATE * SECONDS);
const GROUP = 'reliability-load';

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
    const ingest = startCli(
      ['ingest', '--source', 'synthetic', '--rate', String(RATE), '--count', String(COUNT), '--seed', '9'],
      env,
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
    process.stderr.write(
      `[load] target ${RATE}/s; ingest ${COUNT} in ${ingestSeconds.toFixed(1)} s = ${Math.round(COUNT / ingestSeconds)}/s; ` +
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
        `ingest ${Math.round(COUNT / ingestSeconds)}/s, p50 ${Math.round(latency.p50)} ms, p99 ${Math.round(latency.p99)} ms, ` +
        `max backlog ${maxBacklog}, drain ${drainSeconds.toFixed(1)} s, RSS max ${Math.max(...rss)} MB`,
    });
    expect(produced).toBe(COUNT);
    expect(acc.lost).toBe(0);
    expect(acc.duplicated).toBe(0);
    expect(acc.distinct).toBe(COUNT);
  });
});
