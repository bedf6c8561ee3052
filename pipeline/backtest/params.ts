/**
 * Command-line inputs of a backtest: times, symbols and the parameter grid. `--param` accepts
 * `key=value`, lists of pairs (`threshold=1.5,lookback=48`, as `process` does) and value lists for a
 * sweep (`threshold=1.5,2,2.5`): an item without `=` is one more value for the key before it.
 */
import { ConfigError } from '../../lib/errors.js';

export type ParamGrid = Readonly<Record<string, readonly string[]>>;

export function parseParamGrid(items: readonly string[]): ParamGrid {
  const grid: Record<string, string[]> = {};
  for (const item of items) {
    let key: string | null = null;
    for (const part of item.split(',')) {
      const text = part.trim();
      if (text === '') continue;
      const eq = text.indexOf('=');
      if (eq === 0) throw new ConfigError(`--param "${item}": expected key=value`);
      if (eq > 0) {
        key = text.slice(0, eq).trim();
        const value = text.slice(eq + 1).trim();
        if (value === '') throw new ConfigError(`--param "${item}": ${key} has no value`);
        grid[key] = [value];
      } else if (key === null) {
        throw new ConfigError(`--param "${item}": expected key=value`);
      } else {
        grid[key]!.push(text);
      }
    }
  }
  for (const [key, values] of Object.entries(grid)) grid[key] = [...new Set(values)];
  return grid;
}

/** Every combination of the grid, in a stable order (first key varies slowest). */
export function expandGrid(grid: ParamGrid): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

/** ISO 8601 with a time zone, a date (UTC midnight) or epoch seconds/milliseconds. */
export function parseTime(text: string, flag: string): number {
  const trimmed = text.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    ms = n < 1e11 ? n * 1000 : n;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    ms = Date.parse(`${trimmed}T00:00:00Z`);
  } else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)) {
    ms = Date.parse(trimmed);
  } else {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms)) {
    throw new ConfigError(
      `${flag} "${text}" is not a time: use ISO 8601 with a zone (2024-01-01T00:00:00Z), a date or epoch s/ms`,
    );
  }
  return ms;
}

/** Comma-separated asset codes (BTC,ETH), upper-cased; they reach SQL only through the formatter. */
export function parseSymbols(text: string): string[] {
  const symbols = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s !== ''),
    ),
  ];
  if (symbols.length === 0) throw new ConfigError('--symbols expects codes such as BTC,ETH');
  for (const s of symbols) {
    if (!/^[A-Z0-9]{1,20}$/.test(s)) throw new ConfigError(`--symbols: "${s}" is not an asset code like BTC`);
  }
  return symbols;
}
