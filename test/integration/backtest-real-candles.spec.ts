/**
 * A backtest against the real BTC/USDT hourly candles of the shared file (imported with the
 * `prices import` code), over days that contain one of its real gaps (2021-04-25 05:00-07:00 UTC
 * missing): short gaps are carried over and counted, a stricter limit turns them into one clear line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/errors.js';
import { runBacktest } from '../../pipeline/backtest/run-backtest.js';
import { createLogger } from '../../pipeline/logger.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import { importCandles } from '../../sinks/prices/import-candles.js';
import { createProcessWorld, type ProcessWorld, syntheticMessages } from '../support/process-fixture.js';

const FILE = '/work/shared/data/btcusdt-1h-2017-2021.csv';
const FROM = Date.UTC(2021, 3, 24);
const TO = Date.UTC(2021, 3, 27);
const logger = createLogger({ level: 'warn' });
let world: ProcessWorld;

beforeAll(async () => {
  world = await createProcessWorld('btreal');
  const store = createClickHouseCandleStore(world.clickhouse, { url: world.config.clickhouse.url });
  const report = await importCandles({
    file: FILE,
    key: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
    store,
  });
  expect(report.imported).toBeGreaterThan(30_000);
  await world.producer.send(
    world.config.topics.tweetsRaw,
    syntheticMessages({ seed: 21, count: 4_000, startTime: FROM, tweetsPerSecond: 0.015, symbols: ['BTC'] }),
  );
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const run = (maxGapHours?: number) =>
  runBacktest(
    { kafka: world.kafka, clickhouse: world.clickhouse, config: world.config, logger },
    {
      from: FROM,
      to: TO,
      symbols: ['BTC'],
      strategy: 'threshold',
      grid: { threshold: ['0.05'], minCount: ['5'] },
      out: null,
      record: false,
      ...(maxGapHours === undefined ? {} : { maxGapHours }),
    },
  );

describe('backtest on the real BTC/USDT candles', () => {
  it('carries prices over the 3-hour gap of 2021-04-25 and counts it', async () => {
    const outcome = await run();
    const { summary, equity } = outcome.ranked[0]!;
    expect(summary.candleGaps).toBe(3);
    expect(equity).toHaveLength(73);
    // Buy-and-hold: bought at the 2021-04-24 00:00 open (51,110.56) less the 10 bps fee, marked at the
    // close of the 2021-04-26 23:00 candle (54,001.39).
    expect(summary.buyAndHoldReturn).toBeCloseTo((54_001.39 / 51_110.56) * 0.999 - 1, 9);
    expect(equity.every((p) => Number.isFinite(p.equity) && p.equity > 0)).toBe(true);
  });

  it('refuses the period when fewer missing hours may be carried over', async () => {
    const error = await run(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /no complete price history for BTC\/USDT: 3 of the 73 hourly candles from 2021-04-24T00:00Z to 2021-04-27T00:00Z are missing, 3 in a row from 2021-04-25T05:00Z/,
    );
  });
});
