/**
 * The trading migrations (0100 candles, 0101 orders) and the SQL the candle store and the paper
 * restore send, run on current ClickHouse (26.x, in-process through chdb). The other integration tests
 * run the same text on the 18.16 server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChdbSession, loadChdb } from '../../scripts/chdb.js';
import { loadMigrations } from '../../sinks/clickhouse/migrations.js';
import { filledOrdersQuery } from '../../sinks/exchange/order-history.js';
import { makeRecord, toOrderRow } from '../../sinks/exchange/order-record.js';
import { toCandleRow } from '../../sinks/prices/candle.js';
import { CANDLE_QUERIES } from '../../sinks/prices/candle-store.js';
import { decision } from '../fixtures/exchange/decisions.js';

const HOUR = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
const { Session } = loadChdb();
let session: ChdbSession;

const json = <T>(sql: string): T[] =>
  session
    .query(sql, 'JSONEachRow')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
const insert = (table: string, rows: readonly object[]): void => {
  session.query(`INSERT INTO ${table} FORMAT JSONEachRow\n${rows.map((r) => JSON.stringify(r)).join('\n')}`);
};

beforeAll(() => {
  session = new Session();
  session.query('CREATE DATABASE IF NOT EXISTS sentiflow');
  session.query('USE sentiflow');
  for (const migration of loadMigrations().filter((m) => m.version >= 100 && m.version < 200)) {
    for (const statement of migration.statements) session.query(statement);
  }
});
afterAll(() => session?.cleanup());

describe('trading tables on current ClickHouse', () => {
  it('keeps one candle per open time and answers the store queries', () => {
    const candle = (h: number, close: number) => ({
      openTime: T + h * HOUR,
      open: 1,
      high: close + 1,
      low: 0.5,
      close,
      volume: 2,
    });
    insert(
      'candles',
      [0, 1, 2].map((h) => toCandleRow(key, candle(h, 10 + h), 'test', 1)),
    );
    insert('candles', [toCandleRow(key, candle(2, 99), 'test', 2)]);
    const [last] = json<{ last: string | number; n: string | number }>(CANDLE_QUERIES.lastOpenTime(key));
    expect(Number(last?.last)).toBe(T + 2 * HOUR);
    const [at] = json<{ open_time_ms: string | number; close: number }>(
      CANDLE_QUERIES.candleAt(key, T + 2 * HOUR + 5),
    );
    expect(Number(at?.open_time_ms)).toBe(T + 2 * HOUR);
    expect(at?.close).toBe(99);
    const range = json<{ open_time_ms: string | number; close: number }>(
      CANDLE_QUERIES.between(key, T + HOUR, T + 2 * HOUR),
    );
    expect(range.map((c) => [Number(c.open_time_ms), c.close])).toEqual([
      [T + HOUR, 11],
      [T + 2 * HOUR, 99],
    ]);
    const [time] = json<{ t: string | number }>(
      'SELECT toUnixTimestamp(open_time) AS t FROM candles FINAL ORDER BY open_time LIMIT 1',
    );
    expect(Number(time?.t) * 1000).toBe(T);
  });

  it('keeps the final state per client order id and restores filled orders', () => {
    const d = decision();
    const base = {
      decision: d,
      clientOrderId: d.id,
      market: 'BTC/USDT',
      side: 'buy' as const,
      venue: 'paper',
      mode: 'paper' as const,
    };
    const order = {
      id: 'paper-1',
      clientOrderId: d.id,
      symbol: d.symbol,
      side: 'buy' as const,
      status: 'closed' as const,
      amount: 0.01,
      filled: 0.01,
      average: 20_000,
      cost: 200,
      fee: { cost: 0.2, currency: 'USDT' },
      timestamp: T,
    };
    insert('orders', [
      toOrderRow(makeRecord({ ...base, recordedAt: T + 2 }, { status: 'filled', order })),
      toOrderRow(makeRecord({ ...base, recordedAt: T + 1 }, { status: 'attempt', requestedAmount: 0.01 })),
    ]);
    const restored = json<{ client_order_id: string; filled_amount: number; fee_currency: string }>(
      filledOrdersQuery('paper'),
    );
    expect(restored).toEqual([
      expect.objectContaining({
        client_order_id: d.id,
        market: 'BTC/USDT',
        filled_amount: 0.01,
        fee_currency: 'USDT',
      }),
    ]);
    const [state] = json<{ status: string; n: string | number }>(
      'SELECT any(status) AS status, count() AS n FROM orders FINAL',
    );
    expect(state).toMatchObject({ status: 'filled' });
    expect(Number(state?.n)).toBe(1);
  });
});
