import { describe, expect, it } from 'vitest';
import {
  dateTimeLiteral,
  identifier,
  numberLiteral,
  quoteString,
  stringList,
} from '../../../sinks/clickhouse/sql.js';

describe('SQL formatting', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["'; DROP TABLE tweets; --", "'\\'; DROP TABLE tweets; --'"],
    ['new\nline\0', "'new\\x0aline\\x00'"],
    ['émoji 🚀', "'émoji 🚀'"],
  ])('quotes %j safely', (input, expected) => {
    expect(quoteString(input)).toBe(expected);
  });

  it('refuses non-finite numbers and unsafe identifiers', () => {
    expect(() => numberLiteral(Number.NaN)).toThrow(RangeError);
    expect(() => identifier('tweets; DROP')).toThrow(RangeError);
    expect(identifier('sentiment_hourly')).toBe('sentiment_hourly');
  });

  it('formats times to whole seconds and lists', () => {
    expect(dateTimeLiteral(1_700_000_000_999)).toBe('toDateTime(1700000000)');
    expect(stringList(['BTC', "E'TH"])).toBe("'BTC', 'E\\'TH'");
    expect(() => stringList([])).toThrow(RangeError);
  });
});
