/**
 * `sentiflow prices import|sync` as a process against real ClickHouse (and the fake Binance for sync):
 * one JSON summary on stdout, bad rows and defects as file:line lines on stderr, user errors as one line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeExchange, startFakeExchange } from '../support/fake-exchange.js';
import { testDatabase } from '../support/test-database.js';

const db = testDatabase('it_prices_cli');
const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../pipeline/bin.ts', import.meta.url));
const SMALL = fileURLToPath(new URL('../fixtures/exchange/candles-small.csv', import.meta.url));
let fake: FakeExchange;

function sentiflow(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bin, ...args], {
      cwd: repo,
      env: {
        PATH: process.env.PATH,
        CLICKHOUSE_URL: db.url,
        CLICKHOUSE_USER: db.user,
        CLICKHOUSE_PASSWORD: db.password,
        CLICKHOUSE_DATABASE: db.name,
        EXCHANGE_API_URL: fake.url,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sentiflow ${args.join(' ')} did not finish; stderr: ${stderr.slice(-2000)}`));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  fake = await startFakeExchange({ klineRange: [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 10)] });
  const migrated = await sentiflow(['migrate']);
  expect(migrated.code, migrated.stderr).toBe(0);
});

afterAll(async () => {
  await fake?.close();
  await db.drop();
});

describe('sentiflow prices', () => {
  it('import: keeps good rows, reports each bad row as file:line and the defects', async () => {
    const { code, stdout, stderr } = await sentiflow([
      'prices',
      'import',
      '--symbol',
      'BTC/USDT',
      '--timeframe',
      '1h',
      SMALL,
    ]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      symbol: 'BTC/USDT',
      rows: 6,
      imported: 4,
      badRows: 2,
      defects: { gap: 1, jump: 0, large_move: 1 },
    });
    expect(stderr).toContain(`${SMALL}:4: bad timestamp 'not-a-time'`);
    expect(stderr).toContain(`${SMALL}:6: bad close 'abc'`);
    expect(stderr).toMatch(/gap: 1 candle\(s\) missing/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('sync: pages through fetchOHLCV, then resumes from the last stored candle', async () => {
    const args = ['prices', 'sync', '--exchange', 'binance', '--symbol', 'ETH/USDT', '--timeframe', '1h'];
    const range = ['--from', '2024-01-01T00:00:00Z', '--to', '2024-01-05T00:00:00Z', '--page-limit', '40'];
    const first = await sentiflow([...args, ...range]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      pages: 3,
      stored: 96,
      resumedFrom: null,
      last: '2024-01-04T23:00:00.000Z',
    });
    const again = await sentiflow([...args, ...range]);
    expect(JSON.parse(again.stdout)).toMatchObject({ stored: 1, resumedFrom: '2024-01-04T23:00:00.000Z' });
  });

  it('bad input ends as one line, without a stack trace', async () => {
    const { code, stderr } = await sentiflow(['prices', 'sync', '--symbol', 'btc', '--from', '2024-01-01']);
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe("sentiflow: --symbol: 'btc' is not a symbol like BTC/USDT");
  });
});
