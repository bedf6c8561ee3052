/**
 * prices sync and import into a real ClickHouse (the migrations' `candles` table), through the real
 * ccxt client against the fake Binance: paging, resume after an interruption, idempotency, and the
 * shared 2017-2021 file.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCcxtClient } from '../../sinks/exchange/ccxt-client.js';
import { createCandlePriceSource } from '../../sinks/prices/candle-price-source.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import { createCcxtOhlcvSource } from '../../sinks/prices/ccxt-ohlcv.js';
import { importCandles } from '../../sinks/prices/import-candles.js';
import { syncCandles } from '../../sinks/prices/sync-candles.js';
import { type FakeExchange, fakeKline, startFakeExchange } from '../support/fake-exchange.js';
import { testDatabase } from '../support/test-database.js';

const db = testDatabase('it_prices');
const { client, url } = db;
const store = createClickHouseCandleStore(client, { url });

const HOUR = 3_600_000;
const FROM = Date.UTC(2024, 0, 1);
const HOURS = 300;
const until = FROM + HOURS * HOUR;
const noWait = { retries: 1, initialDelayMs: 1, sleep: async () => {} };

let fake: FakeExchange;
beforeAll(() => db.migrate());
afterEach(async () => {
  await fake?.close();
});
afterAll(() => db.drop());

async function rows<T>(query: string): Promise<T[]> {
  return (await client.query({ query, format: 'JSONEachRow' })).json<T>();
}

async function counts(symbol: string) {
  const [row] = await rows<{ rows: string; distinct: string; final: string }>(
    `SELECT count() AS rows, uniqExact(open_time) AS distinct, (SELECT count() FROM candles FINAL WHERE symbol = '${symbol}') AS final FROM candles WHERE symbol = '${symbol}'`,
  );
  return { rows: Number(row?.rows), distinct: Number(row?.distinct), final: Number(row?.final) };
}

describe('prices sync into ClickHouse', () => {
  const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };

  it('pages, resumes after an interruption, and stays idempotent on rerun', async () => {
    fake = await startFakeExchange({ klineRange: [FROM, FROM + (HOURS + 24) * HOUR] });
    const source = createCcxtOhlcvSource(
      createCcxtClient({ exchangeId: 'binance', apiUrl: fake.url, enableRateLimit: true }),
      { retry: noWait },
    );

    const interrupted = await syncCandles({
      key,
      source,
      store,
      from: FROM,
      until,
      pageLimit: 100,
      maxPages: 2,
    });
    expect(interrupted.stored).toBe(200);
    expect(await store.lastOpenTime(key)).toBe(FROM + 199 * HOUR);

    const resumed = await syncCandles({ key, source, store, from: FROM, until, pageLimit: 100 });
    expect(resumed.resumedFrom).toBe(FROM + 199 * HOUR);
    expect(resumed.stored).toBe(101);
    expect(fake.count('GET /api/v3/klines')).toBe(2 + 2);

    await syncCandles({ key, source, store, from: FROM, until, pageLimit: 100 });
    expect((await counts('BTC/USDT')).final).toBe(HOURS);
    expect((await counts('BTC/USDT')).distinct).toBe(HOURS);

    const [first] = await rows<{ t: string; ms: string; open: number; close: number }>(
      `SELECT toUnixTimestamp(open_time) AS t, open_time_ms AS ms, open, close FROM candles FINAL WHERE symbol = 'BTC/USDT' ORDER BY open_time LIMIT 1`,
    );
    const [, open, , , close] = fakeKline(FROM);
    expect(Number(first?.t) * 1000).toBe(FROM);
    expect(Number(first?.ms)).toBe(FROM);
    expect(first).toMatchObject({ open: Number(open), close: Number(close) });
  });

  it('serves paper prices from stored candles without look-ahead', async () => {
    const prices = createCandlePriceSource({ store, exchange: 'binance', timeframe: '1h' });
    const at = FROM + 10 * HOUR;
    expect(await prices.priceAt('BTC/USDT', at)).toBe(Number(fakeKline(FROM + 9 * HOUR)[4]));
    expect(await prices.priceAt('BTC/USDT', until + 100 * HOUR)).toBeNull();
    expect(await prices.priceAt('ETH/USDT', at)).toBeNull();
  });
});

describe('prices import into ClickHouse', () => {
  it('imports the shared 2017-2021 file once however often it runs', async () => {
    const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
    const file = '/work/shared/data/btcusdt-1h-2017-2021.csv';
    const scoped = { ...key, symbol: 'BTC/USDT' };
    const report = await importCandles({ file, key: { ...scoped, exchange: 'cdd' }, store });
    await importCandles({ file, key: { ...scoped, exchange: 'cdd' }, store });
    expect(report.imported).toBe(33_413);
    expect(report.defects.missingCandles).toBe(16);
    const [row] = await rows<{ n: string; first: string; last: string }>(
      "SELECT count() AS n, min(open_time_ms) AS first, max(open_time_ms) AS last FROM candles FINAL WHERE exchange = 'cdd'",
    );
    expect(Number(row?.n)).toBe(33_413);
    expect(Number(row?.first)).toBe(Date.UTC(2017, 7, 17, 4));
    expect(Number(row?.last)).toBe(Date.UTC(2021, 5, 10, 0));
  });
});
