/**
 * Printing a QueryResult: an aligned table for people (times in UTC, numbers right-aligned, long text
 * cut), JSON lines or CSV (RFC 4180) for programs (times as ISO 8601 UTC, full precision).
 */
import type { Cell, Column, QueryResult, Row } from './result.js';

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const MAX_TEXT = 48;
const NUMERIC = new Set(['int', 'float', 'hour']);

export function isoHour(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** 2024-05-01 13:00 (UTC), the way the table shows hours. */
export function shortTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

const trimNumber = (n: number): string => String(Number(n.toFixed(4)));

function mapText(map: Readonly<Record<string, number>>, separator: string): string {
  return Object.entries(map)
    .map(([k, v]) => `${k}=${trimNumber(v)}`)
    .join(separator);
}

function tableCell(value: Cell, column: Column): string {
  if (value === null) return '';
  if (typeof value === 'object') return mapText(value, ' ');
  if (typeof value === 'boolean') return value ? 'yes' : 'NO';
  if (typeof value === 'number') {
    if (column.kind === 'hour') return shortTime(value * 1000);
    return column.kind === 'float' ? value.toFixed(4) : String(value);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
  const text = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

export function formatTable(result: QueryResult): string {
  const { columns, rows } = result;
  const header = columns.map((c) => c.label ?? c.key);
  const body = rows.map((r) => columns.map((c) => tableCell(r[c.key] ?? null, c)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const column = columns[i];
        const width = widths[i] ?? 0;
        return column && NUMERIC.has(column.kind) && column.kind !== 'hour'
          ? cell.padStart(width)
          : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const out = [result.title, line(header), line(widths.map((w) => '-'.repeat(w)))];
  for (const cells of body) out.push(line(cells));
  out.push(`(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`, ...result.notes);
  return `${out.join('\n')}\n`;
}

function jsonValue(value: Cell, column: Column): Cell {
  return column.kind === 'hour' && typeof value === 'number' ? isoHour(value) : value;
}

export function formatJsonLines(result: QueryResult): string {
  return result.rows
    .map((r) => {
      const out: Record<string, Cell> = {};
      for (const c of result.columns) out[c.key] = jsonValue(r[c.key] ?? null, c);
      return `${JSON.stringify(out)}\n`;
    })
    .join('');
}

function csvField(value: Cell, column: Column): string {
  if (value === null) return '';
  const text = typeof value === 'object' ? mapText(value, ';') : String(jsonValue(value, column) ?? '');
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(result: QueryResult): string {
  const header = result.columns.map((c) => c.key).join(',');
  const lines = result.rows.map((r: Row) =>
    result.columns.map((c) => csvField(r[c.key] ?? null, c)).join(','),
  );
  return `${[header, ...lines].join('\r\n')}\r\n`;
}

export function formatResult(result: QueryResult, format: OutputFormat): string {
  if (format === 'json') return formatJsonLines(result);
  if (format === 'csv') return formatCsv(result);
  return formatTable(result);
}
