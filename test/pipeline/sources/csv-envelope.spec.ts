import { describe, expect, it } from 'vitest';
import { parseCsvRecord, readCsvHeader } from '../../../pipeline/sources/csv-envelope.js';

describe('parseCsvRecord', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,c', ['a', '', 'c']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['"multi\nline",x', ['multi\nline', 'x']],
    ['', ['']],
    ['"open,x', 'incomplete'],
  ] as const)('%j', (record, expected) => {
    expect(parseCsvRecord(record)).toEqual(expected);
  });
});

describe('readCsvHeader', () => {
  it('accepts the columns in any order and case', () => {
    const header = readCsvHeader(['TEXT', 'author_id', 'id', 'created_at']);
    expect(header).toEqual(
      new Map([
        ['id', 2],
        ['created_at', 3],
        ['text', 0],
        ['author_id', 1],
      ]),
    );
  });

  it('names the missing required columns', () => {
    expect(readCsvHeader(['id', 'lang'])).toEqual({ missing: ['created_at', 'text', 'author_id'] });
  });
});
