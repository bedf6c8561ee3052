import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryCandleStore } from '../../../sinks/prices/candle-store.js';
import { importCandles } from '../../../sinks/prices/import-candles.js';

const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };
const SMALL = fileURLToPath(new URL('../../fixtures/exchange/candles-small.csv', import.meta.url));
const SHARED = '/work/shared/data/btcusdt-1h-2017-2021.csv';

describe('importCandles', () => {
  it('imports good rows and reports each bad row once with file:line', async () => {
    const store = createMemoryCandleStore();
    const bad: string[] = [];
    const report = await importCandles({ file: SMALL, key, store, onBadRow: (line) => bad.push(line) });
    expect(bad).toEqual([`${SMALL}:4: bad timestamp 'not-a-time'`, `${SMALL}:6: bad close 'abc'`]);
    expect(report).toMatchObject({
      rows: 6,
      imported: 4,
      badRows: 2,
      first: Date.UTC(2024, 0, 1, 0),
      last: Date.UTC(2024, 0, 1, 4),
    });
    expect(report.defects.counts).toMatchObject({ gap: 1, jump: 0, large_move: 1 });
    expect(await store.lastOpenTime(key)).toBe(Date.UTC(2024, 0, 1, 4));
  });

  it('reports the known defects of the shared 2017-2021 BTC/USDT file', async () => {
    const store = createMemoryCandleStore();
    const bad: string[] = [];
    const report = await importCandles({ file: SHARED, key, store, onBadRow: (line) => bad.push(line) });
    expect(bad).toEqual([]);
    expect(report.rows).toBe(33_413);
    expect(report.imported).toBe(33_413);
    expect(report.first).toBe(Date.UTC(2017, 7, 17, 4));
    expect(report.last).toBe(Date.UTC(2021, 5, 10, 0));
    expect(report.defects.counts.implausible).toBe(1);
    expect(report.defects.examples.find((d) => d.kind === 'implausible')?.detail).toMatch(/16199.91/);
    expect(report.defects.counts.gap).toBe(8);
    expect(report.defects.missingCandles).toBe(16);
    // Four candles open more than 5% away from the previous close (e.g. 2018-01-05 10:00: 15880.39 -> 14400).
    expect(report.defects.counts.jump).toBe(4);
    expect(report.defects.counts.large_move).toBe(155);
  });

  it('fails with one line when the file cannot be read', async () => {
    const store = createMemoryCandleStore();
    await expect(importCandles({ file: '/nonexistent/x.csv', key, store })).rejects.toThrow(
      '/nonexistent/x.csv: cannot read it (ENOENT)',
    );
  });
});
