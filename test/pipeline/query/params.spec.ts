import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.js';
import {
  parseDurationMs,
  parseLimit,
  parseRange,
  parseSymbols,
  parseTime,
} from '../../../pipeline/query/params.js';

const NOW = Date.UTC(2024, 4, 2, 12, 30);

describe('parseTime', () => {
  it.each([
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T13:00Z', Date.UTC(2024, 4, 1, 13)],
    ['2024-05-01T13:00:00', Date.UTC(2024, 4, 1, 13)],
    ['2024-05-01T15:00:00+02:00', Date.UTC(2024, 4, 1, 13)],
    ['1714568400', Date.UTC(2024, 4, 1, 13)],
    ['1714568400000', Date.UTC(2024, 4, 1, 13)],
  ])('reads %s', (text, ms) => {
    expect(parseTime(text, '--from')).toBe(ms);
  });

  it.each(['yesterday', "2024-05-01' OR 1=1", '2024-13-45', '', '2200-01-01'])(
    'refuses %j naming the flag',
    (text) => {
      expect(() => parseTime(text, '--to')).toThrow(ConfigError);
      expect(() => parseTime(text, '--to')).toThrow(/^--to: /);
    },
  );
});

describe('parseRange', () => {
  it('defaults to the 24 hours before now', () => {
    expect(parseRange({}, NOW)).toEqual({ fromMs: NOW - 86_400_000, toMs: NOW });
  });

  it('reads --from as a duration before --to', () => {
    expect(parseRange({ from: '7d', to: '2024-05-08' }, NOW)).toEqual({
      fromMs: Date.UTC(2024, 4, 1),
      toMs: Date.UTC(2024, 4, 8),
    });
  });

  it('refuses an empty or reversed range', () => {
    expect(() => parseRange({ from: '2024-05-02', to: '2024-05-01' }, NOW)).toThrow(
      /--from must be before --to/,
    );
    expect(() => parseRange({ from: '2024-05-01', to: '2024-05-01' }, NOW)).toThrow(ConfigError);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
  ])('reads %s', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['0d', '1y', '-3d', '3 d', 'd'])('is null for %j', (text) => {
    expect(parseDurationMs(text)).toBeNull();
  });
});

describe('parseSymbols', () => {
  it('merges --symbol and --symbols, upper-cases, dedupes and sorts', () => {
    expect(parseSymbols({ symbol: 'eth', symbols: 'BTC, eth,SOL' })).toEqual(['BTC', 'ETH', 'SOL']);
  });

  it('is empty when neither flag is given', () => {
    expect(parseSymbols({})).toEqual([]);
  });

  it.each(["BTC'; DROP TABLE tweets --", 'B', 'BITCOINCASH1', 'BT C', 'BTC\nETH'])(
    'refuses %j as not a symbol, on one line',
    (text) => {
      const call = () => parseSymbols({ symbol: text });
      expect(call).toThrow(ConfigError);
      expect(call).toThrow(/^--symbol: ".*" is not a symbol \(2-10 letters or digits, e\.g\. BTC\)$/);
    },
  );

  it('refuses a well-formed symbol the pipeline does not map', () => {
    expect(() => parseSymbols({ symbols: 'BTC,PEPE' })).toThrow(
      'unknown symbol PEPE (known: ADA, BTC, DOGE, ETH, SOL, XRP)',
    );
  });

  it('accepts a symbol from an injected known set', () => {
    expect(parseSymbols({ symbol: 'PEPE' }, ['PEPE'])).toEqual(['PEPE']);
  });

  it('refuses an empty --symbols list', () => {
    expect(() => parseSymbols({ symbols: ' , ' })).toThrow(/--symbols: expects a comma-separated list/);
  });
});

describe('parseLimit', () => {
  it('reads a whole number', () => {
    expect(parseLimit('25')).toBe(25);
  });

  it.each(['0', '-1', '1.5', '1e3', '10; DROP TABLE tweets', '2000000', ''])('refuses %j', (text) => {
    expect(() => parseLimit(text)).toThrow(/^--limit: /);
  });
});
