import { describe, expect, it } from 'vitest';
import { formatCsv, formatJsonLines, formatTable } from '../../../pipeline/query/format.js';
import type { QueryResult } from '../../../pipeline/query/result.js';

const H = Date.UTC(2024, 4, 1, 10) / 1000;

const result: QueryResult = {
  title: 'a title',
  columns: [
    { key: 'hour', kind: 'hour' },
    { key: 'name', kind: 'text' },
    { key: 'n', kind: 'int' },
    { key: 'mean', kind: 'float', label: 'avg' },
    { key: 'ok', kind: 'bool' },
    { key: 'reasons', kind: 'map' },
  ],
  rows: [
    { hour: H, name: 'plain', n: 12, mean: -0.123456, ok: true, reasons: { 'filter:language': 2, x: 0.5 } },
    { hour: 'total', name: 'has, "quotes"\nand a newline', n: 3, mean: null, ok: false, reasons: {} },
  ],
  notes: ['a note'],
  ok: true,
};

describe('formatTable', () => {
  it('aligns columns: numbers right, text left, times as UTC minutes, then row count and notes', () => {
    expect(formatTable(result).split('\n')).toEqual([
      'a title',
      'hour              name                          n      avg  ok   reasons',
      '----------------  ---------------------------  --  -------  ---  -----------------------',
      '2024-05-01 10:00  plain                        12  -0.1235  yes  filter:language=2 x=0.5',
      'total             has, "quotes" and a newline   3           NO',
      '(2 rows)',
      'a note',
      '',
    ]);
  });

  it('cuts text longer than 48 characters', () => {
    const long = { ...result, rows: [{ ...result.rows[0]!, name: 'x'.repeat(60) }] };
    expect(formatTable(long)).toContain(`${'x'.repeat(47)}…`);
  });
});

describe('formatJsonLines', () => {
  it('writes one object per row, times as ISO 8601 UTC, numbers at full precision', () => {
    const lines = formatJsonLines(result)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        hour: '2024-05-01T10:00:00.000Z',
        name: 'plain',
        n: 12,
        mean: -0.123456,
        ok: true,
        reasons: { 'filter:language': 2, x: 0.5 },
      },
      { hour: 'total', name: 'has, "quotes"\nand a newline', n: 3, mean: null, ok: false, reasons: {} },
    ]);
  });
});

describe('formatCsv', () => {
  it('writes a header and RFC 4180 rows', () => {
    expect(formatCsv(result)).toBe(
      'hour,name,n,mean,ok,reasons\r\n' +
        '2024-05-01T10:00:00.000Z,plain,12,-0.123456,true,filter:language=2;x=0.5\r\n' +
        'total,"has, ""quotes""\nand a newline",3,,false,\r\n',
    );
  });
});
