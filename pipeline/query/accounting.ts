/**
 * `query accounting`: the intake ledger per hour and in total. Consumed is counted on its own (one row
 * per Kafka offset) and checked against stored + dropped + rejected for every hour and the total, the
 * drop reasons against dropped + rejected, and the hours against the total. A failed check is shown
 * in the rows and makes the result not ok.
 */

import type { TweetSource } from '../../operators/index.js';
import {
  type AnalyticsRange,
  accountingHoursSql,
  accountingReasonsSql,
  accountingTotalSql,
} from './analytics-sql.js';
import { type Column, coerceRows, type QueryResult, type Row, type SelectRows } from './result.js';

const COUNTS: readonly Column[] = [
  { key: 'consumed', kind: 'int' },
  { key: 'stored', kind: 'int' },
  { key: 'dropped', kind: 'int' },
  { key: 'rejected', kind: 'int' },
];
const REASON_COLUMNS: readonly Column[] = [
  { key: 'hour', kind: 'hour' },
  { key: 'outcome', kind: 'text' },
  { key: 'stage', kind: 'text' },
  { key: 'reason', kind: 'text' },
  { key: 'messages', kind: 'int' },
];

export const ACCOUNTING_COLUMNS: readonly Column[] = [
  { key: 'hour', kind: 'hour' },
  ...COUNTS,
  { key: 'balanced', kind: 'bool' },
  { key: 'reasons', kind: 'map', label: 'by stage:reason' },
];

const num = (row: Row, key: string): number => {
  const v = row[key];
  return typeof v === 'number' ? v : 0;
};

function ledgerRow(hour: number | 'total', counts: Row, reasons: Record<string, number>): Row {
  const [consumed, stored, dropped, rejected] = COUNTS.map((c) => num(counts, c.key)) as [
    number,
    number,
    number,
    number,
  ];
  const reasonSum = Object.values(reasons).reduce((a, b) => a + b, 0);
  return {
    hour,
    consumed,
    stored,
    dropped,
    rejected,
    balanced: consumed === stored + dropped + rejected && reasonSum === dropped + rejected,
    reasons,
  };
}

export async function accountingQuery(
  select: SelectRows,
  range: AnalyticsRange & { readonly source?: TweetSource },
): Promise<QueryResult> {
  const [hours, totals, reasons] = await Promise.all([
    select(accountingHoursSql(range)).then((r) => coerceRows(r, [{ key: 'hour', kind: 'hour' }, ...COUNTS])),
    select(accountingTotalSql(range)).then((r) => coerceRows(r, COUNTS)),
    select(accountingReasonsSql(range)).then((r) => coerceRows(r, REASON_COLUMNS)),
  ]);
  const byHour = new Map<number, Record<string, number>>();
  const overall: Record<string, number> = {};
  for (const r of reasons) {
    const key = `${r.outcome === 'rejected' ? 'rejected ' : ''}${r.stage}:${r.reason}`;
    const hour = num(r, 'hour');
    const map = byHour.get(hour) ?? {};
    map[key] = (map[key] ?? 0) + num(r, 'messages');
    overall[key] = (overall[key] ?? 0) + num(r, 'messages');
    byHour.set(hour, map);
  }
  const title = `accounting of the intake ledger (every consumed Kafka message${range.source === undefined ? '' : ` of ${range.source}`}, by event hour)`;
  if (hours.length === 0) return { title, columns: ACCOUNTING_COLUMNS, rows: [], notes: [], ok: true };
  const rows = hours.map((h) => ledgerRow(num(h, 'hour'), h, byHour.get(num(h, 'hour')) ?? {}));
  const total = ledgerRow('total', totals[0] ?? {}, overall);
  const hoursAddUp = COUNTS.every(
    (c) => rows.reduce((sum, r) => sum + num(r, c.key), 0) === num(total, c.key),
  );
  const ok = hoursAddUp && [...rows, total].every((r) => r.balanced === true);
  const equation = `${num(total, 'consumed')} = ${num(total, 'stored')} + ${num(total, 'dropped')} + ${num(total, 'rejected')}`;
  const notes = [
    ok
      ? `consumed = stored + dropped + rejected: ${equation} holds for the total and every hour`
      : `ACCOUNTING MISMATCH: ${equation} for the total; ${hoursAddUp ? '' : 'the hours do not add up to the total; '}see rows marked NO`,
  ];
  return { title, columns: ACCOUNTING_COLUMNS, rows: [...rows, total], notes, ok };
}
