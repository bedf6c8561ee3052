/**
 * Faults while `sentiflow process` runs, each on private servers where a server is killed: ClickHouse
 * SIGKILLed for RELIABILITY_CH_DOWN_MS (60 s; CI 10 s) and restarted on the same data; the Kafka broker
 * SIGKILLed and restarted; the process itself SIGKILLed repeatedly. Input keeps arriving during the
 * faults. Each run must end with exactly the tables of an uninterrupted run over the same input;
 * recovery time is from the fault's end until every input is accounted for in ClickHouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalClickHouse } from '../../scripts/services/clickhouse-local.js';
import { startLocalKafka } from '../../scripts/services/kafka-local.js';
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
import { accounting, intakeVisible } from './measure.js';
import { recordSummary, size } from './summary.js';

const START = Date.UTC(2026, 4, 1);
const FIRST = size('RELIABILITY_FAULT_MESSAGES', 30_000, 8_000);
const CH_DOWN_MS = size('RELIABILITY_CH_DOWN_MS', 60_000, 10_000);
const KAFKA_DOWN_MS = size('RELIABILITY_KAFKA_DOWN_MS', 15_000, 5_000);
const KILLS = size('RELIABILITY_PROCESS_KILLS', 6, 3);

const first: OutgoingMessage[] = [
  ...syntheticMessages({ seed: 21, count: FIRST, startTime: START, tweetsPerSecond: 2 }),
  ...poisonMessages(START + 3_600_000),
];
const during = syntheticMessages({
  seed: 22,
  count: Math.round(FIRST / 3),
  startTime: START + FIRST * 500,
  tweetsPerSecond: 2,
});
const TOTAL = first.length + during.length;
// No --exit-when-idle: input still arrives after a fault; runs end with SIGTERM once all input is in.
const ARGS = ['--no-trade', '--checkpoint-interval', '1000', '--flush-interval', '250'];

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

/** Rows of `got` that `want` lacks (lost) and rows counted more often than in `want` (duplicated). */
function compare(
  want: Record<string, unknown[]>,
  got: Record<string, unknown[]>,
): { lost: number; duplicated: number } {
  let lost = 0;
  let duplicated = 0;
  for (const name of Object.keys(want)) {
    const counts = new Map<string, number>();
    for (const row of want[name] ?? [])
      counts.set(JSON.stringify(row), (counts.get(JSON.stringify(row)) ?? 0) + 1);
    for (const row of got[name] ?? []) {
      const key = JSON.stringify(row);
      const left = counts.get(key) ?? 0;
      if (left > 0) counts.set(key, left - 1);
      else duplicated++;
    }
    for (const left of counts.values()) lost += left;
  }
  return { lost, duplicated };
}

async function distinctIntake(world: World): Promise<number> {
  try {
    const [row] = await world.rows<{ n: string }>('SELECT uniqExact(partition, offset) AS n FROM intake');
    return Number(row?.n ?? 0);
  } catch {
    return 0;
  }
}

/** Waits until every input has its intake row, then stops the process with SIGTERM: it must exit 0. */
async function stopWhenAllIn(world: World, run: CliChild): Promise<void> {
  await waitFor(
    async () => (await distinctIntake(world)) >= TOTAL || (await Promise.race([run.exited, null])) !== null,
    { timeoutMs: 300_000, intervalMs: 250, what: 'every input accounted for' },
  ).catch((error: unknown) => {
    run.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; process log:\n${run.stderr().slice(-4_000)}`);
  });
  run.child.kill('SIGTERM');
  expect(await exitWithin(run, 60_000), run.stderr().slice(-2_000)).toBe(0);
}

let reference: Record<string, unknown[]>;
let referenceWorld: World | undefined;

beforeAll(async () => {
  buildOnce();
  referenceWorld = await createWorld('rel_fault_ref');
  await referenceWorld.producer.send(referenceWorld.topic, first);
  await referenceWorld.producer.send(referenceWorld.topic, during);
  const run = startCli(['process', ...ARGS, '--group', 'ref'], { ...referenceWorld.env, LOG_LEVEL: 'warn' });
  await stopWhenAllIn(referenceWorld, run);
  reference = await tables(referenceWorld);
  expect(reference.intake).toHaveLength(TOTAL);
});

afterAll(async () => {
  await referenceWorld?.close();
});

async function outage(
  name: string,
  world: World,
  server: RestartableServer,
  downMs: number,
  kafkaDown: boolean,
) {
  await world.producer.send(world.topic, first);
  const run = startCli(['process', ...ARGS, '--group', 'fault'], { ...world.env, LOG_LEVEL: 'warn' });
  await waitFor(
    async () =>
      (await intakeVisible(world)) >= FIRST / 3 || (await Promise.race([run.exited, null])) !== null,
    { timeoutMs: 180_000, what: 'a third of the input processed' },
  );
  await server.kill();
  const downSince = Date.now();
  if (!kafkaDown) await world.producer.send(world.topic, during);
  // The fault lasts downMs: this wait is the scenario, not a synchronisation.
  await waitFor(() => Date.now() - downSince >= downMs, { timeoutMs: downMs + 60_000, intervalMs: 200 });
  expect(await Promise.race([run.exited, 'running']), run.stderr().slice(-2_000)).toBe('running');
  await server.start();
  const upAt = Date.now();
  if (kafkaDown) await world.producer.send(world.topic, during);
  await stopWhenAllIn(world, run);
  const recoveryMs = Date.now() - upAt;
  const got = await tables(world);
  const diff = compare(reference, got);
  const acc = await accounting(world, TOTAL);
  recordSummary({
    scenario: name,
    messagesIn: TOTAL,
    rowsOut: acc.tweets,
    lost: diff.lost,
    duplicated: diff.duplicated,
    recoveryMs,
    notes: `down ${(downMs / 1000).toFixed(0)} s; tables equal to an uninterrupted run: ${diff.lost + diff.duplicated === 0}`,
  });
  expect(diff).toEqual({ lost: 0, duplicated: 0 });
}

describe('faults', () => {
  it(`ClickHouse killed for ${CH_DOWN_MS / 1000} s and restarted`, async () => {
    const provided = await startLocalClickHouse({ ownerPid: process.pid });
    const server = restartable(provided.server!, { kind: 'clickhouse', url: provided.endpoint.url });
    const world = await createWorld('rel_fault_ch', { clickhouseUrl: provided.endpoint.url });
    try {
      await outage(`ClickHouse killed ${CH_DOWN_MS / 1000} s`, world, server, CH_DOWN_MS, false);
    } finally {
      await world.close().catch(() => undefined);
      await server.stop();
    }
  });

  it('Kafka broker killed and restarted', async () => {
    const provided = await startLocalKafka({ heapMb: 256, ownerPid: process.pid });
    const server = restartable(provided.server!, { kind: 'kafka', brokers: provided.endpoint.brokers });
    const world = await createWorld('rel_fault_kafka', { brokers: provided.endpoint.brokers });
    try {
      await outage('Kafka broker killed + restarted', world, server, KAFKA_DOWN_MS, true);
    } finally {
      await world.close().catch(() => undefined);
      await server.stop();
    }
  });

  it(`process SIGKILLed ${KILLS} times`, async () => {
    const world = await createWorld('rel_fault_kill');
    try {
      await world.producer.send(world.topic, first);
      let recoveryMs = 0;
      for (let k = 1; k <= KILLS; k++) {
        if (k === Math.ceil(KILLS / 2)) await world.producer.send(world.topic, during);
        const run = startCli(['process', ...ARGS, '--group', 'fault'], { ...world.env, LOG_LEVEL: 'warn' });
        const target = Math.floor((TOTAL * k) / (KILLS + 1));
        await waitFor(
          async () =>
            (await intakeVisible(world)) >= target || (await Promise.race([run.exited, null])) !== null,
          { timeoutMs: 180_000, what: `intake >= ${target}` },
        );
        run.child.kill('SIGKILL');
        await run.exited;
      }
      const restarted = Date.now();
      const last = startCli(['process', ...ARGS, '--group', 'fault'], { ...world.env, LOG_LEVEL: 'warn' });
      await stopWhenAllIn(world, last);
      recoveryMs = Date.now() - restarted;
      const diff = compare(reference, await tables(world));
      const acc = await accounting(world, TOTAL);
      recordSummary({
        scenario: `process SIGKILLed x${KILLS}`,
        messagesIn: TOTAL,
        rowsOut: acc.tweets,
        lost: diff.lost,
        duplicated: diff.duplicated,
        recoveryMs,
        notes: 'recovery = last restart until drained and exited',
      });
      expect(diff).toEqual({ lost: 0, duplicated: 0 });
    } finally {
      await world.close().catch(() => undefined);
    }
  });
});
