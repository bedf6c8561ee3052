import { afterEach, describe, expect, it } from 'vitest';
import { createCcxtClient } from '../../../sinks/exchange/ccxt-client.js';
import { createMemoryCandleStore } from '../../../sinks/prices/candle-store.js';
import { createCcxtOhlcvSource } from '../../../sinks/prices/ccxt-ohlcv.js';
import { syncCandles } from '../../../sinks/prices/sync-candles.js';
import { type FakeExchange, fakeKline, startFakeExchange } from '../../support/fake-exchange.js';

const HOUR = 3_600_000;
const FROM = Date.UTC(2024, 0, 1);
const HOURS = 250;
const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
const noWait = { retries: 2, initialDelayMs: 1, sleep: async () => {} };

let fake: FakeExchange | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup() {
  fake = await startFakeExchange({ klineRange: [FROM, FROM + (HOURS + 10) * HOUR] });
  const client = createCcxtClient({ exchangeId: 'binance', apiUrl: fake.url, enableRateLimit: false });
  return { fake, source: createCcxtOhlcvSource(client, { retry: noWait }), store: createMemoryCandleStore() };
}

const until = FROM + HOURS * HOUR;
const stored = (store: ReturnType<typeof createMemoryCandleStore>) => [
  ...(store.series.values().next().value?.values() ?? []),
];

describe('syncCandles through ccxt fetchOHLCV', () => {
  it('pages through the range and stores only closed candles', async () => {
    const { source, store, fake } = await setup();
    const progress: number[] = [];
    const report = await syncCandles({
      key,
      source,
      store,
      from: FROM,
      until,
      pageLimit: 100,
      onProgress: (p) => progress.push(p.stored),
    });
    expect(report).toMatchObject({ stored: HOURS, resumedFrom: null, last: until - HOUR });
    expect(fake.count('GET /api/v3/klines')).toBe(3);
    expect(progress).toEqual([100, 200, 250]);
    const candles = stored(store);
    expect(candles).toHaveLength(HOURS);
    const [t, o, h, l, c] = fakeKline(FROM + 7 * HOUR);
    expect(candles[7]).toEqual({
      openTime: t,
      open: Number(o),
      high: Number(h),
      low: Number(l),
      close: Number(c),
      volume: 12.5,
    });
  });

  it('resumes from the last stored candle after an interruption', async () => {
    const { source, store, fake } = await setup();
    const first = await syncCandles({ key, source, store, from: FROM, until, pageLimit: 100, maxPages: 1 });
    expect(first.stored).toBe(100);
    fake.fail('GET /api/v3/klines', { kind: 'status', status: 503 }, 3);
    await expect(
      syncCandles({ key, source, store, from: FROM, until, pageLimit: 100 }),
    ).rejects.toMatchObject({ name: 'UnavailableError' });
    const resumed = await syncCandles({ key, source, store, from: FROM, until, pageLimit: 100 });
    expect(resumed.resumedFrom).toBe(FROM + 99 * HOUR);
    expect(resumed.start).toBe(FROM + 99 * HOUR);
    expect(stored(store)).toHaveLength(HOURS);
    const lastStartTime = fake.requests
      .filter((r) => r.path === '/api/v3/klines')
      .map((r) => new URLSearchParams(r.query).get('startTime'));
    expect(lastStartTime).toContain(String(FROM + 99 * HOUR));
  });

  it('retries transient errors of reads', async () => {
    const { source, store, fake } = await setup();
    fake.fail('GET /api/v3/klines', { kind: 'status', status: 502 }, 2);
    expect((await syncCandles({ key, source, store, from: FROM, until, pageLimit: 1000 })).stored).toBe(
      HOURS,
    );
  });

  it('is idempotent: a second run refetches only the last candle and changes nothing', async () => {
    const { source, store } = await setup();
    await syncCandles({ key, source, store, from: FROM, until, pageLimit: 1000 });
    const before = stored(store);
    const again = await syncCandles({ key, source, store, from: FROM, until, pageLimit: 1000 });
    expect(again).toMatchObject({ stored: 1, pages: 1 });
    expect(stored(store)).toEqual(before);
  });
});
