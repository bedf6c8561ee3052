/**
 * `sentiflow trade` as a process on real Kafka and ClickHouse: consumes decisions from the signals
 * topic, fills them on paper at stored candle prices, stops new orders as soon as the kill-switch
 * file exists, and exits 0 on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../operators/types.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { createProducer, type TopicProducer } from '../../sinks/kafka/producer.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import { decision, T0 } from '../fixtures/exchange/decisions.js';
import { kafkaBrokers, uniqueName } from '../support/servers.js';
import { testDatabase } from '../support/test-database.js';

const db = testDatabase('it_trade_cli');
const { client, url, name: database } = db;
const brokers = kafkaBrokers();
const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../pipeline/bin.ts', import.meta.url));
const run = uniqueName('trade_cli');
const topics = { signals: `signals.${run}`, orders: `orders.${run}` };
const HOUR = 3_600_000;
let producer: TopicProducer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trade-cli-'));
  await db.migrate();
  const kafka = createKafka({ brokers });
  const spec = { partitions: 1, replicationFactor: 1, retentionHours: -1 };
  await ensureTopics(
    kafka,
    [
      { name: topics.signals, ...spec },
      { name: topics.orders, ...spec },
    ],
    { brokers },
  );
  producer = await createProducer(kafka, { brokers });
  const candles = [-2, -1, 0, 1, 2].map((h) => ({
    openTime: T0 + h * HOUR,
    open: 20_000,
    high: 20_000,
    low: 20_000,
    close: 20_000,
    volume: 1,
  }));
  await createClickHouseCandleStore(client, { url }).write(
    { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
    candles,
    'test',
  );
});

afterAll(async () => {
  await producer?.close();
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
});

function startTrade(args: readonly string[]): {
  child: ChildProcess;
  result: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', bin, 'trade', ...args], {
    cwd: repo,
    env: {
      PATH: process.env.PATH,
      KAFKA_BROKERS: brokers.join(','),
      CLICKHOUSE_URL: url,
      CLICKHOUSE_USER: db.user,
      CLICKHOUSE_PASSWORD: db.password,
      CLICKHOUSE_DATABASE: database,
      TOPIC_SIGNALS: topics.signals,
      TOPIC_ORDERS: topics.orders,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const result = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sentiflow trade did not stop; stderr: ${stderr.slice(-2000)}`));
    }, 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
  return { child, result };
}

async function states(): Promise<Record<string, string>> {
  const rows = await (
    await client.query({
      query: 'SELECT client_order_id, status, reason FROM orders FINAL',
      format: 'JSONEachRow',
    })
  ).json<{ client_order_id: string; status: string; reason: string }>();
  return Object.fromEntries(
    rows.map((r) => [r.client_order_id, r.reason ? `${r.status}:${r.reason}` : r.status]),
  );
}

async function until(
  check: (s: Record<string, string>) => boolean,
  what: string,
): Promise<Record<string, string>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const current = await states();
    if (check(current)) return current;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; orders: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const send = (decisions: readonly Decision[]) =>
  producer.send(
    topics.signals,
    decisions.map((d) => ({ key: d.symbol, value: JSON.stringify(d) })),
  );

describe('sentiflow trade (process)', () => {
  it('fills decisions from the signals topic, obeys the kill-switch file at once, and exits 0 on SIGTERM', async () => {
    const killFile = join(dir, 'STOP');
    await send([
      decision({ id: 'sf-cli-1', size: 0.2 }),
      decision({ id: 'sf-cli-2', action: 'SELL', size: 1, bucketStart: T0, decidedAt: T0 + HOUR }),
    ]);
    const trade = startTrade([
      '--from-beginning',
      '--group',
      `trade-cli-${run}`,
      '--max-decision-age-minutes',
      '0',
      '--kill-switch-file',
      killFile,
    ]);
    expect(
      await until((s) => Object.keys(s).length === 2 && s['sf-cli-2'] === 'filled', 'two fills'),
    ).toEqual({
      'sf-cli-1': 'filled',
      'sf-cli-2': 'filled',
    });
    writeFileSync(killFile, '');
    await send([decision({ id: 'sf-cli-3', bucketStart: T0 + HOUR, decidedAt: T0 + 2 * HOUR })]);
    expect((await until((s) => 'sf-cli-3' in s, 'the third decision'))['sf-cli-3']).toBe(
      'refused:kill_switch',
    );
    trade.child.kill('SIGTERM');
    const { code, stderr } = await trade.result;
    expect(code, stderr.slice(-2000)).toBe(0);
    expect(stderr).toContain('trade stopped');
  });
});
