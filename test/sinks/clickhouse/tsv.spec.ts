import { describe, expect, it } from 'vitest';
import { tsvQuoted, tsvString } from '../../../sinks/clickhouse/tsv.js';

describe('TabSeparated strings', () => {
  it('escapes what would end a field or a row, and the escape character itself', () => {
    expect(tsvString('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(tsvString(`{"k":"it's"}`)).toBe(`{"k":"it's"}`);
    expect(tsvString('')).toBe('');
  });

  it('quotes an array element and escapes its quotes too', () => {
    expect(tsvQuoted("it's\t")).toBe("'it\\'s\\t'");
    expect(tsvQuoted('$BTC')).toBe("'$BTC'");
  });
});
