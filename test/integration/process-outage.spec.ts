/**
 * Issue 5: `sentiflow process` rides out a dependency going away mid-run. Each outage runs against a
 * private server (so killing it disturbs no other test): ClickHouse SIGKILLed and restarted on the
 * same ports and data dir after a while; the Kafka broker SIGKILLed and restarted the same way. More
 * input arrives during the outage. The run must back off, resume, exit 0 when drained, and leave
 * exactly the tables of an uninterrupted run over the same messages (nothing lost, nothing twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalClickHouse } from '../../scripts/services/clickhouse-local.js';
import { startLocalKafka } from '../../scripts/services/kafka-local.js';
import { freePort } from '../../scripts/services/ports.js';
import type { OutgoingMessage } from '../../sinks/kafka/producer.js';
import { buildOnce } from '../support/cli.js';
import {
  type CliChild,
  createWorld,
  exitWithin,
  type RestartableServer,
  restartable,
  startCli,
  type World,
} from '../support/faults.js';
import { poisonMessages, syntheticMessages } from '../support/process-fixture.js';
import { waitFor } from '../support/servers.js';

const START = Date.UTC(2026, 2, 3, 0, 0, 0);
const FIRST = 4_000;
const DURING = 1_500;
const OUTAGE_MS = Number(process.env.OUTAGE_TEST_DOWN_MS ?? 6_000);

const first = [
  ...syntheticMessages({ seed: 5, count: FIRST, startTime: START, tweetsPerSecond: 0.5 }),
  ...poisonMessages(START + 3_600_000),
];
// Arrives while the dependency is down: later event times, same generator family.
const during = syntheticMessages({
  seed: 6,
  count: DURING,
  startTime: START + FIRST * 2_000,
  tweetsPerSecond: 0.5,
});
const TOTAL = first.length + during.length;

const send = (world: World, messages: OutgoingMessage[]) => world.producer.send(world.topic, messages);

async function intakeCount(world: World): Promise<number> {
  try {
    const [row] = await world.rows<{ n: string }>('SELECT count() AS n FROM intake');
    return Number(row?.n ?? 0);
  } catch {
    return 0;
  }
}

async function distinctIntake(world: World): Promise<number> {
  try {
    const [row] = await world.rows<{ n: string }>('SELECT uniqExact(partition, offset) AS n FROM intake');
    return Number(row?.n ?? 0);
  } catch {
    return 0;
  }
}

async function tables(world: World): Promise<Record<string, unknown[]>> {
  return {
    intake: await world.rows(
      'SELECT partition, offset, outcome, stage, reason FROM intake FINAL ORDER BY partition, offset',
    ),
    tweets: await world.rows(
      'SELECT symbol, tweet_id, created_at_ms, score, weight FROM tweets FINAL ORDER BY symbol, tweet_id',
    ),
    sentiment_hourly: await world.rows(
      `SELECT symbol, bucket_start, count, score_sum, weighted_score_sum, positive, negative, neutral,
              distinct_authors FROM sentiment_hourly FINAL ORDER BY symbol, bucket_start`,
    ),
    signals: await world.rows(
      'SELECT decision_id, action, size, reason FROM signals FINAL ORDER BY decision_id',
    ),
  };
}

// No --exit-when-idle: input still arrives after an outage, and "drained" is only true once all of it
// is in; the test stops the process with SIGTERM (finish the batch, flush, commit, exit 0) instead.
const processArgs = [
  'process',
  '--no-trade',
  '--group',
  'outage-it',
  '--checkpoint-interval',
  '500',
  '--flush-interval',
  '200',
];

let reference: Record<string, unknown[]>;
let referenceWorld: World | undefined;

beforeAll(async () => {
  buildOnce();
  referenceWorld = await createWorld('outage_ref');
  await send(referenceWorld, first);
  await send(referenceWorld, during);
  const run = startCli(processArgs, { ...referenceWorld.env, LOG_LEVEL: 'warn' });
  await stopWhenAllIn(referenceWorld, run);
  reference = await tables(referenceWorld);
  expect(reference.intake).toHaveLength(TOTAL);
}, 180_000);

afterAll(async () => {
  await referenceWorld?.close();
});

/** Waits until every input has its intake row, then stops the process with SIGTERM: it must exit 0. */
async function stopWhenAllIn(world: World, run: CliChild): Promise<void> {
  await waitFor(
    async () => (await distinctIntake(world)) >= TOTAL || (await Promise.race([run.exited, null])) !== null,
    { timeoutMs: 150_000, intervalMs: 250, what: 'every input accounted for' },
  ).catch((error: unknown) => {
    run.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; process log:\n${run.stderr().slice(-4_000)}`);
  });
  run.child.kill('SIGTERM');
  expect(await exitWithin(run, 60_000), run.stderr().slice(-3_000)).toBe(0);
}

/** Checks of the metrics/health endpoints around an outage. */
interface Health {
  readonly env?: Record<string, string>;
  readonly duringOutage?: () => Promise<unknown>;
  readonly afterRecovery?: () => Promise<unknown>;
}

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url)).status;
  } catch {
    return 0;
  }
}

/**
 * Runs process over `world` while the input keeps arriving in chunks, takes `server` down once the
 * process is at work, holds it down for OUTAGE_MS (the scenario's length, not a synchronisation) and
 * brings it back; then waits for the process to drain and exit. Input goes on arriving during the
 * outage when Kafka is up (ClickHouse outage), right after it when Kafka was the one down.
 */
async function runThroughOutage(
  world: World,
  server: RestartableServer,
  sendDuringOutage: boolean,
  health: Health = {},
): Promise<{ messages: string[] }> {
  const chunk = Math.ceil(first.length / 4);
  await send(world, first.slice(0, chunk));
  const run = startCli(processArgs, { ...world.env, LOG_LEVEL: 'info', ...health.env });
  await waitFor(
    async () => (await intakeCount(world)) >= chunk / 2 || (await Promise.race([run.exited, null])) !== null,
    { timeoutMs: 90_000, what: 'the process at work' },
  );
  await server.kill();
  const downSince = Date.now();
  try {
    if (sendDuringOutage) {
      for (let i = chunk; i < first.length; i += chunk) await send(world, first.slice(i, i + chunk));
      await send(world, during);
    }
    await health.duringOutage?.();
    await waitFor(() => Date.now() - downSince >= OUTAGE_MS, {
      timeoutMs: OUTAGE_MS + 60_000,
      intervalMs: 100,
    });
    expect(await Promise.race([run.exited, 'running']), run.stderr().slice(-3_000)).toBe('running');
  } finally {
    await server.start();
  }
  await health.afterRecovery?.();
  if (!sendDuringOutage) {
    await send(world, first.slice(chunk));
    await send(world, during);
  }
  await stopWhenAllIn(world, run);
  return { messages: run.messages() };
}

describe('process through dependency outages (private servers, real restarts)', () => {
  it('ClickHouse killed and restarted mid-run: /readyz says so, the process backs off, resumes, and the tables equal an uninterrupted run', async () => {
    const provided = await startLocalClickHouse({ ownerPid: process.pid });
    const server = restartable(provided.server!, { kind: 'clickhouse', url: provided.endpoint.url });
    const world = await createWorld('outage_ch', { clickhouseUrl: provided.endpoint.url });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const health: Health = {
      env: { METRICS_PORT: String(port), METRICS_READY_STALE_MS: '2000' },
      // /readyz reflects the real state: not ready while ClickHouse is dead, ready again once it answers.
      duringOutage: () =>
        waitFor(async () => (await status(`${base}/readyz`)) === 503, { timeoutMs: 20_000, intervalMs: 200 }),
      afterRecovery: () =>
        waitFor(async () => (await status(`${base}/readyz`)) === 200, { timeoutMs: 60_000, intervalMs: 200 }),
    };
    try {
      const { messages } = await runThroughOutage(world, server, true, {
        ...health,
        afterRecovery: async () => {
          await health.afterRecovery?.();
          expect(await status(`${base}/healthz`)).toBe(200);
          // Counters move once the flush that waited out the outage is durable.
          const metrics = await waitFor(
            async () => {
              const text = await (await fetch(`${base}/metrics`)).text();
              return /sentiflow_consumed_total\{command="process",app="sentiflow"\} [1-9]/.test(text) && text;
            },
            { timeoutMs: 60_000, intervalMs: 250, what: 'consumed_total > 0 on /metrics' },
          );
          expect(metrics).toMatch(
            /sentiflow_clickhouse_errors_total\{kind="transient",app="sentiflow"\} [1-9]/,
          );
        },
      });
      // Short outages are ridden out inside insertRows' own retries; longer ones by the runner's back-off.
      const noticed = ['ClickHouse insert failed; retrying', 'dependency unavailable: backing off'];
      const recovered = ['ClickHouse insert succeeded after retry', 'dependency back: resumed'];
      expect(messages.filter((m) => noticed.includes(m)).length, messages.join(' | ')).toBeGreaterThan(0);
      expect(messages.filter((m) => recovered.includes(m)).length, messages.join(' | ')).toBeGreaterThan(0);
      const got = await tables(world);
      expect(got.intake).toHaveLength(TOTAL);
      for (const name of Object.keys(reference)) expect(got[name], name).toEqual(reference[name]);
    } finally {
      await world.close().catch(() => undefined);
      await server.stop();
    }
  }, 300_000);

  it('Kafka broker killed and restarted mid-run: resumes from the committed offsets, and the tables equal an uninterrupted run', async () => {
    const provided = await startLocalKafka({ heapMb: 256, ownerPid: process.pid });
    const server = restartable(provided.server!, { kind: 'kafka', brokers: provided.endpoint.brokers });
    const world = await createWorld('outage_kafka', { brokers: provided.endpoint.brokers });
    try {
      await runThroughOutage(world, server, false);
      const got = await tables(world);
      expect(got.intake).toHaveLength(TOTAL);
      for (const name of Object.keys(reference)) expect(got[name], name).toEqual(reference[name]);
    } finally {
      await world.close().catch(() => undefined);
      await server.stop();
    }
  }, 300_000);
});
