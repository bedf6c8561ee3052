/**
 * What a query returns, independent of how it is printed: typed columns and rows, plus notes
 * (e.g. the accounting equation) and whether every check held. ClickHouse returns 64-bit integers as
 * JSON strings and times as epoch seconds; `coerceRows` turns them into the column's kind.
 */

export const COLUMN_KINDS = ['hour', 'int', 'float', 'text', 'map', 'bool'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

export interface Column {
  /** Key in JSON output and CSV header. */
  readonly key: string;
  readonly kind: ColumnKind;
  /** Header in the table output (defaults to key). */
  readonly label?: string;
  /** Column name in the SQL result when it differs from key. */
  readonly source?: string;
}

/** hour: epoch seconds (or a label such as 'total'); map: counts or inputs by name. */
export type Cell = string | number | boolean | null | Readonly<Record<string, number>>;
export type Row = Readonly<Record<string, Cell>>;
export type RawRow = Readonly<Record<string, unknown>>;

export interface QueryResult {
  /** One line describing what was asked, e.g. "hourly sentiment of BTC". */
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** Lines printed after the rows (table) or on stderr (json/csv). */
  readonly notes: readonly string[];
  /** False when a consistency check failed (the command then exits 1). */
  readonly ok: boolean;
}

/** Runs one SELECT and returns its rows (JSONEachRow objects). */
export type SelectRows = (sql: string) => Promise<readonly RawRow[]>;

function toNumber(value: unknown, integer: boolean): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return null;
  return integer ? Math.round(n) : n;
}

function toMap(value: unknown): Readonly<Record<string, number>> | string | null {
  if (value === null || value === undefined) return null;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return value; // shown as text rather than hidden
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return String(value);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parsed)) {
    const n = toNumber(v, false);
    if (n !== null) out[k] = n;
  }
  return out;
}

export function coerceCell(value: unknown, kind: ColumnKind): Cell {
  switch (kind) {
    case 'hour':
      return typeof value === 'string' && !/^\d+$/.test(value) ? value : toNumber(value, true);
    case 'int':
      return toNumber(value, true);
    case 'float':
      return toNumber(value, false);
    case 'bool':
      return value === null || value === undefined ? null : Boolean(value);
    case 'map':
      return toMap(value);
    case 'text':
      return value === null || value === undefined ? null : String(value);
  }
}

export function coerceRows(raw: readonly RawRow[], columns: readonly Column[]): Row[] {
  return raw.map((r) => {
    const row: Record<string, Cell> = {};
    for (const c of columns) row[c.key] = coerceCell(r[c.source ?? c.key], c.kind);
    return row;
  });
}
