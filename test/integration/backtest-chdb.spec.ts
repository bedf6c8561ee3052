/**
 * The backtest's SQL on current ClickHouse (26.x in-process through chdb): the candle range read and
 * the run record, idempotent by run id. The same code runs on 18.16 in backtest-replay.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPriceSeries } from '../../pipeline/backtest/load-candles.js';
import { loadChdb } from '../../scripts/chdb.js';
import { migrate } from '../../sinks/clickhouse/migrations.js';
import type { Candle } from '../../sinks/prices/candle.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import { recordBacktest } from '../../sinks/reports/backtest-record.js';
import { chdbClient } from '../pipeline/query/chdb-client.js';
import { FIXTURE_START, fixtureResult } from '../sinks/reports/fixture.js';

const url = 'chdb://in-process';
const HOUR = 3_600_000;
const { Session } = loadChdb();
const session = new Session();
const admin = chdbClient(session, 'default');
const db = chdbClient(session, 'bt_chdb');

beforeAll(async () => {
  await migrate(admin.client, db.client, { url, database: 'bt_chdb' });
  const candles: Candle[] = Array.from({ length: 30 }, (_, h) => ({
    openTime: FIXTURE_START + h * HOUR,
    open: 100 + h,
    high: 102 + h,
    low: 99 + h,
    close: 101 + h,
    volume: 1,
  }));
  await createClickHouseCandleStore(db.client, { url }).write(
    { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
    candles,
    'test',
  );
});

afterAll(() => {
  session.cleanup();
});

describe('backtest SQL on current ClickHouse (chdb)', () => {
  it('reads the candles of the period into a price series', async () => {
    const prices = await loadPriceSeries(db.client, {
      url,
      exchange: 'binance',
      quote: 'USDT',
      symbols: ['BTC'],
      from: FIXTURE_START,
      to: FIXTURE_START + 20 * HOUR,
    });
    const btc = prices.get('BTC')!;
    expect(btc.candles.length).toBeGreaterThanOrEqual(21);
    expect(btc.fillPrice(FIXTURE_START + 5 * HOUR)).toBe(105);
    expect(btc.closeAt(FIXTURE_START + 5 * HOUR)).toBe(105);
  });

  it('records a run and its trades once per run id', async () => {
    const result = fixtureResult();
    const meta = {
      url,
      codeVersion: '0.1.0+test',
      topic: 'tweets.raw',
      exchange: 'binance',
      scorer: 'combined',
      scorerModel: '0123456789abcdef',
    };
    await recordBacktest(db.client, result, { ...meta, recordedAt: 1 });
    await recordBacktest(db.client, result, { ...meta, recordedAt: 2 });
    const runs = await db.select(
      `SELECT run_id, code_version, scorer, scorer_model, trades FROM backtest_runs FINAL WHERE run_id = '${result.runId}'`,
    );
    expect(runs).toEqual([
      {
        run_id: 'bt-fixture',
        code_version: '0.1.0+test',
        scorer: 'combined',
        scorer_model: '0123456789abcdef',
        trades: 4,
      },
    ]);
    const [trades] = await db.select(
      `SELECT count() AS n FROM backtest_trades FINAL WHERE run_id = '${result.runId}'`,
    );
    expect(Number(trades!.n)).toBe(4);
  });
});
