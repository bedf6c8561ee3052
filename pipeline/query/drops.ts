/**
 * `query drops`: drop and rejection reasons per hour (at most --limit rows), then their totals over the
 * whole range, whatever the limit: one `total` row per reason and one for everything.
 */
import { type AnalyticsFilter, dropsSql, dropTotalsSql } from './analytics-sql.js';
import { hour, i, result, t } from './columns.js';
import { type Column, coerceRows, type QueryResult, type Row, type SelectRows } from './result.js';

export const DROP_COLUMNS: readonly Column[] = [
  { ...hour, source: 'hour_start' },
  t('outcome'),
  t('stage'),
  t('reason'),
  i('messages'),
];
const TOTAL_COLUMNS: readonly Column[] = [
  { key: 'outcome', kind: 'text', source: 'outcome_name' },
  t('stage'),
  t('reason'),
  { key: 'messages', kind: 'int', source: 'total' },
];

export async function dropsQuery(select: SelectRows, filter: AnalyticsFilter): Promise<QueryResult> {
  const [hours, totals] = await Promise.all([
    select(dropsSql(filter)).then((rows) => coerceRows(rows, DROP_COLUMNS)),
    select(dropTotalsSql(filter)).then((rows) => coerceRows(rows, TOTAL_COLUMNS)),
  ]);
  const title = `drops and rejections${filter.source === undefined ? '' : ` of ${filter.source}`} per hour, then in total`;
  if (hours.length === 0 && totals.length === 0) return result(title, DROP_COLUMNS, []);
  const sum = (outcome?: string): number =>
    totals
      .filter((r) => outcome === undefined || r.outcome === outcome)
      .reduce((n, r) => n + (typeof r.messages === 'number' ? r.messages : 0), 0);
  const all: Row = { hour: 'total', outcome: 'all', stage: '', reason: '', messages: sum() };
  const rows = [...hours, ...totals.map((r): Row => ({ hour: 'total', ...r })), all];
  const note = `${sum()} messages dropped or rejected in the range: ${sum('dropped')} dropped, ${sum('rejected')} rejected`;
  return { ...result(title, DROP_COLUMNS, rows), notes: [note] };
}
