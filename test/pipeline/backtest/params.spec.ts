import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.js';
import { expandGrid, parseParamGrid, parseSymbols, parseTime } from '../../../pipeline/backtest/params.js';

describe('backtest command inputs', () => {
  it('reads value lists as a sweep and pair lists as single values', () => {
    expect(parseParamGrid(['threshold=1.5,2,2.5', 'lookback=24,48'])).toEqual({
      threshold: ['1.5', '2', '2.5'],
      lookback: ['24', '48'],
    });
    expect(parseParamGrid(['threshold=1.5,lookback=48'])).toEqual({ threshold: ['1.5'], lookback: ['48'] });
  });

  it('expands the grid into every combination', () => {
    const combos = expandGrid({ threshold: ['1.5', '2', '2.5'], lookback: ['24', '48'] });
    expect(combos).toHaveLength(6);
    expect(combos[0]).toEqual({ threshold: '1.5', lookback: '24' });
    expect(combos[5]).toEqual({ threshold: '2.5', lookback: '48' });
    expect(expandGrid({})).toEqual([{}]);
  });

  it('rejects a value without a key', () => {
    expect(() => parseParamGrid(['1.5'])).toThrow(ConfigError);
    expect(() => parseParamGrid(['threshold='])).toThrow(/has no value/);
  });

  it('parses ISO times, dates and epoch seconds or milliseconds', () => {
    expect(parseTime('2021-01-01T00:00:00Z', '--from')).toBe(Date.UTC(2021, 0, 1));
    expect(parseTime('2021-01-02', '--from')).toBe(Date.UTC(2021, 0, 2));
    expect(parseTime('1609459200', '--from')).toBe(Date.UTC(2021, 0, 1));
    expect(parseTime('1609459200000', '--from')).toBe(Date.UTC(2021, 0, 1));
    expect(() => parseTime('yesterday', '--from')).toThrow(/--from "yesterday" is not a time/);
    expect(() => parseTime('2021-01-01T00:00:00', '--to')).toThrow(ConfigError);
  });

  it('upper-cases symbols and refuses anything that is not an asset code', () => {
    expect(parseSymbols('btc, eth,BTC')).toEqual(['BTC', 'ETH']);
    expect(() => parseSymbols("BTC';DROP")).toThrow(ConfigError);
  });
});
