import { describe, expect, it } from 'vitest';
import {
  isHeader,
  layoutFromHeader,
  POSITIONAL_LAYOUT,
  parseCandleRow,
  parseTimestamp,
  splitCsvLine,
} from '../../../sinks/prices/csv-candles.js';

const H = Date.UTC(2024, 0, 1, 0);

describe('candle CSV parsing', () => {
  it.each<[string, number | null]>([
    ['1704067200000', H],
    ['1704067200', H],
    ['1704067200.0', H],
    ['2024-01-01T00:00:00Z', H],
    ['2024-01-01 00:00:00', H],
    ['2024-01-01T02:00:00+02:00', H],
    ['yesterday', null],
    ['', null],
  ])('reads the timestamp %j', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it('finds the columns of the CryptoDataDownload header', () => {
    const header = splitCsvLine('open_time_utc,unix_s,open,high,low,close,volume_btc,volume_usdt,tradecount');
    expect(isHeader(header)).toBe(true);
    expect(layoutFromHeader(header)).toEqual({ time: 0, open: 2, high: 3, low: 4, close: 5, volume: 6 });
  });

  it('says which columns a header lacks', () => {
    expect(layoutFromHeader(['time', 'open', 'close'])).toBe('header lacks column(s): high, low, volume');
  });

  it('treats a first row that starts with a time as data, not a header', () => {
    expect(isHeader(splitCsvLine('2024-01-01T00:00:00Z,1,2,0.5,1.5,10'))).toBe(false);
    expect(isHeader(splitCsvLine('1704067200000,1,2,0.5,1.5,10'))).toBe(false);
  });

  it('parses a positional row', () => {
    expect(parseCandleRow(splitCsvLine('1704067200000,1,2,0.5,1.5,10'), POSITIONAL_LAYOUT)).toEqual({
      openTime: H,
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 10,
    });
  });

  it.each([
    ['1704067200000,1,2,0.5,x,10', "bad close 'x'"],
    ['1704067200000,1,2,0.5,1.5', "bad volume ''"],
    ['1704067200000,1,2,0.5,-1,10', "bad close '-1'"],
    ['1704067200000,3,2,0.5,1.5,10', 'inconsistent OHLC (open 3, high 2, low 0.5, close 1.5)'],
    ['soon,1,2,0.5,1.5,10', "bad timestamp 'soon'"],
  ])('explains why %j is not a candle', (line, reason) => {
    expect(parseCandleRow(splitCsvLine(line), POSITIONAL_LAYOUT)).toBe(reason);
  });
});
