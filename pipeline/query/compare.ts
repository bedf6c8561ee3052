/** `query compare`: symbols side by side, pivoted from one row per (hour, symbol). */
import { type AnalyticsFilter, compareSql } from './analytics-sql.js';
import { f, forSymbols, hour, i, result, t } from './columns.js';
import { type Cell, type Column, coerceRows, type QueryResult, type SelectRows } from './result.js';

/** Symbols side by side: one row per hour, a weighted-mean and a volume column per symbol. */
export async function compareQuery(select: SelectRows, filter: AnalyticsFilter): Promise<QueryResult> {
  const long = coerceRows(await select(compareSql(filter)), [
    hour,
    t('symbol'),
    f('weighted_mean'),
    i('tweets'),
  ]);
  const symbols =
    filter.symbols.length > 0 ? filter.symbols : [...new Set(long.map((r) => String(r.symbol)))].sort();
  const columns: Column[] = [hour];
  for (const s of symbols)
    columns.push(f(`${s}_weighted_mean`, `${s} weighted`), i(`${s}_tweets`, `${s} tweets`));
  const byHour = new Map<number, Record<string, Cell>>();
  for (const r of long) {
    const h = Number(r.hour);
    const row = byHour.get(h) ?? Object.fromEntries(columns.map((c) => [c.key, c === hour ? h : null]));
    row[`${r.symbol}_weighted_mean`] = r.weighted_mean ?? null;
    row[`${r.symbol}_tweets`] = r.tweets ?? null;
    byHour.set(h, row);
  }
  const rows = [...byHour.values()].slice(0, filter.limit);
  return result(`weighted sentiment and volume per hour, ${forSymbols(filter.symbols)}`, columns, rows);
}
