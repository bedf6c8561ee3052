/** Column shorthands and result helpers shared by the query definitions. */
import type { Column, ColumnKind, QueryResult, Row } from './result.js';

const column =
  (kind: ColumnKind) =>
  (key: string, label?: string): Column =>
    label === undefined ? { key, kind } : { key, kind, label };

/** A float, an integer and a text column; `label` is the table header when it differs from the key. */
export const f = column('float');
export const i = column('int');
export const t = column('text');
export const hour: Column = { key: 'hour', kind: 'hour' };

export const result = (title: string, columns: readonly Column[], rows: readonly Row[]): QueryResult => ({
  title,
  columns,
  rows,
  notes: [],
  ok: true,
});

export const forSymbols = (symbols: readonly string[]): string =>
  symbols.length === 0 ? 'all symbols' : symbols.join(', ');
