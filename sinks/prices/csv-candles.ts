/**
 * Pure CSV parsing for candle files: an optional header naming the columns (e.g. CryptoDataDownload's
 * `open_time_utc, unix_s, open, high, low, close, volume_btc, ...`), otherwise positional
 * `timestamp, open, high, low, close, volume`. Timestamps may be epoch ms, epoch seconds or ISO time.
 */
import type { Candle } from './candle.js';

export interface CsvLayout {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export const POSITIONAL_LAYOUT: CsvLayout = { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 };

const TIME_NAMES = [
  'timestamp',
  'open_time',
  'open_time_ms',
  'open_time_utc',
  'time',
  'date',
  'datetime',
  'unix',
  'unix_ms',
  'unix_s',
  'ts',
];

export function splitCsvLine(line: string): string[] {
  return line.split(',').map((field) => field.trim().replace(/^"(.*)"$/, '$1'));
}

/** A header is a first line whose first field is neither a number nor a time. */
export function isHeader(fields: readonly string[]): boolean {
  const first = fields[0] ?? '';
  return parseTimestamp(first) === null && !/^-?\d/.test(first);
}

/** Column positions from a header, or an explanation of what is missing. */
export function layoutFromHeader(fields: readonly string[]): CsvLayout | string {
  const names = fields.map((f) => f.toLowerCase());
  const find = (...candidates: string[]): number => {
    for (const c of candidates) {
      const i = names.indexOf(c);
      if (i >= 0) return i;
    }
    return -1;
  };
  const layout = {
    time: find(...TIME_NAMES),
    open: find('open'),
    high: find('high'),
    low: find('low'),
    close: find('close'),
    volume: names.findIndex((n) => n === 'volume' || n.startsWith('volume_') || n === 'vol'),
  };
  const missing = Object.entries(layout)
    .filter(([, i]) => i < 0)
    .map(([name]) => name);
  return missing.length > 0 ? `header lacks column(s): ${missing.join(', ')}` : layout;
}

/** Epoch ms from epoch ms, epoch seconds (< 1e11), or an ISO time (UTC when no zone is given). */
export function parseTimestamp(text: string): number | null {
  const value = text.trim();
  if (/^\d{9,16}(\.\d+)?$/.test(value)) {
    const n = Number(value);
    return n < 1e11 ? Math.round(n * 1000) : n < 1e14 ? Math.round(n) : Math.round(n / 1000);
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) return null;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : null;
}

/** A candle from one row, or the reason it is not one. */
export function parseCandleRow(fields: readonly string[], layout: CsvLayout): Candle | string {
  const time = parseTimestamp(fields[layout.time] ?? '');
  if (time === null) return `bad timestamp '${fields[layout.time] ?? ''}'`;
  const number = (name: keyof CsvLayout): number | string => {
    const text = fields[layout[name]] ?? '';
    const n = text === '' ? Number.NaN : Number(text);
    return Number.isFinite(n) && n >= 0 ? n : `bad ${name} '${text}'`;
  };
  const values = {
    open: number('open'),
    high: number('high'),
    low: number('low'),
    close: number('close'),
    volume: number('volume'),
  };
  for (const v of Object.values(values)) if (typeof v === 'string') return v;
  const { open, high, low, close, volume } = values as Record<keyof typeof values, number>;
  if (high < low || high < Math.max(open, close) * (1 - 1e-9) || low > Math.min(open, close) * (1 + 1e-9)) {
    return `inconsistent OHLC (open ${open}, high ${high}, low ${low}, close ${close})`;
  }
  return { openTime: time, open, high, low, close, volume };
}
