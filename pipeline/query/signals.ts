/** Latest decisions, joined with their orders when the trading migrations created the orders table. */
import { type AnalyticsFilter, signalsSql, tableExistsSql } from './analytics-sql.js';
import { f, forSymbols, result, t } from './columns.js';
import { type Column, coerceRows, type QueryResult, type SelectRows } from './result.js';

const SIGNALS: readonly Column[] = [
  { key: 'bucket', kind: 'hour' },
  t('symbol'),
  t('strategy'),
  t('action'),
  f('size'),
  t('reason'),
  { key: 'inputs', kind: 'map', source: 'inputs_json' },
  t('decision_id'),
];
const ORDER_COLUMNS = [t('order_status', 'order'), f('filled_amount', 'filled'), f('average_price', 'price')];

export async function signalsQuery(select: SelectRows, filter: AnalyticsFilter): Promise<QueryResult> {
  const exists = await select(tableExistsSql('orders'));
  const withOrders = Number(exists[0]?.n ?? 0) > 0;
  const columns = withOrders ? [...SIGNALS, ...ORDER_COLUMNS] : SIGNALS;
  const joinedRows = coerceRows(await select(signalsSql({ ...filter, withOrders })), columns);
  // A decision without an order joins as defaults ('' and 0): show it as no order, not a zero fill.
  const rows = joinedRows.map((r) =>
    withOrders && r.order_status === ''
      ? { ...r, order_status: null, filled_amount: null, average_price: null }
      : r,
  );
  const joined = withOrders ? ', with their orders (by decision_id)' : ' (no orders table to join)';
  return result(`latest decisions, ${forSymbols(filter.symbols)}${joined}`, columns, rows);
}
