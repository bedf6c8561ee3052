/**
 * Execution records: every attempt, fill, rejection and refusal of an order, as sent to the `orders`
 * topic (JSON, camelCase) and the ClickHouse `orders` table (see migrations/0101_orders.sql).
 * The table keeps the latest record per client order id: `version` ranks statuses so a final
 * state always wins over an attempt, whatever the clocks say.
 */
import type { Decision } from '../../operators/types.js';
import type { ExchangeOrder, OrderSide, TradingMode } from './types.js';

export const RECORD_STATUSES = [
  'attempt',
  'unknown',
  'open',
  'partially_filled',
  'filled',
  'canceled',
  'rejected',
  'refused',
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

const STATUS_RANK: Readonly<Record<RecordStatus, number>> = {
  attempt: 1,
  unknown: 2,
  open: 3,
  partially_filled: 4,
  filled: 6,
  canceled: 5,
  rejected: 6,
  refused: 6,
};

export interface OrderRecord {
  readonly kind: 'order';
  readonly clientOrderId: string;
  readonly decisionId: string;
  readonly strategy: string;
  /** The decision's symbol (e.g. 'BTC'), as in signals. */
  readonly symbol: string;
  /** The venue market traded (e.g. 'BTC/USDT'). */
  readonly market: string;
  readonly side: OrderSide;
  readonly status: RecordStatus;
  /** Machine-readable reason for refusals and rejections ('' otherwise). */
  readonly reason: string;
  readonly detail: string;
  readonly venue: string;
  readonly mode: TradingMode;
  readonly exchangeOrderId: string | null;
  readonly requestedAmount: number;
  readonly filledAmount: number;
  readonly averagePrice: number | null;
  readonly referencePrice: number | null;
  readonly cost: number;
  readonly feeCost: number;
  readonly feeCurrency: string;
  readonly decidedAt: number;
  readonly recordedAt: number;
  readonly version: number;
}

/** Row of the ClickHouse `orders` table (JSONEachRow). */
export interface OrderRow {
  readonly client_order_id: string;
  readonly decision_id: string;
  readonly strategy: string;
  readonly symbol: string;
  readonly market: string;
  readonly side: string;
  readonly status: string;
  readonly reason: string;
  readonly detail: string;
  readonly venue: string;
  readonly mode: string;
  readonly exchange_order_id: string;
  readonly requested_amount: number;
  readonly filled_amount: number;
  readonly average_price: number;
  readonly reference_price: number;
  readonly cost: number;
  readonly fee_cost: number;
  readonly fee_currency: string;
  readonly decided_at_ms: number;
  readonly recorded_at_ms: number;
  readonly event_date: string;
  readonly version: number;
}

export function versionOf(status: RecordStatus, recordedAt: number): number {
  return STATUS_RANK[status] * 10_000_000_000_000 + Math.max(0, Math.min(recordedAt, 9_999_999_999_999));
}

export function statusOfOrder(order: ExchangeOrder): RecordStatus {
  if (order.status === 'rejected') return 'rejected';
  if (order.status === 'closed') return order.filled > 0 ? 'filled' : 'canceled';
  if (order.status === 'open') return order.filled > 0 ? 'partially_filled' : 'open';
  return order.filled > 0 ? 'partially_filled' : 'canceled';
}

export interface RecordBase {
  readonly decision: Decision;
  readonly clientOrderId: string;
  readonly market: string;
  readonly side: OrderSide;
  readonly venue: string;
  readonly mode: TradingMode;
  readonly recordedAt: number;
}

export interface RecordFields {
  readonly status: RecordStatus;
  readonly reason?: string;
  readonly detail?: string;
  readonly requestedAmount?: number;
  readonly referencePrice?: number | null;
  readonly order?: ExchangeOrder | null;
}

export function makeRecord(base: RecordBase, fields: RecordFields): OrderRecord {
  const order = fields.order ?? null;
  return {
    kind: 'order',
    clientOrderId: base.clientOrderId,
    decisionId: base.decision.id,
    strategy: base.decision.strategy,
    symbol: base.decision.symbol,
    market: base.market,
    side: base.side,
    status: fields.status,
    reason: fields.reason ?? '',
    detail: fields.detail ?? '',
    venue: base.venue,
    mode: base.mode,
    exchangeOrderId: order?.id ?? null,
    requestedAmount: fields.requestedAmount ?? order?.amount ?? 0,
    filledAmount: order?.filled ?? 0,
    averagePrice: order?.average ?? null,
    referencePrice: fields.referencePrice ?? null,
    cost: order?.cost ?? 0,
    feeCost: order?.fee?.cost ?? 0,
    feeCurrency: order?.fee?.currency ?? '',
    decidedAt: base.decision.decidedAt,
    recordedAt: base.recordedAt,
    version: versionOf(fields.status, base.recordedAt),
  };
}

export function toOrderRow(record: OrderRecord): OrderRow {
  return {
    client_order_id: record.clientOrderId,
    decision_id: record.decisionId,
    strategy: record.strategy,
    symbol: record.symbol,
    market: record.market,
    side: record.side,
    status: record.status,
    reason: record.reason,
    detail: record.detail,
    venue: record.venue,
    mode: record.mode,
    exchange_order_id: record.exchangeOrderId ?? '',
    requested_amount: record.requestedAmount,
    filled_amount: record.filledAmount,
    average_price: record.averagePrice ?? 0,
    reference_price: record.referencePrice ?? 0,
    cost: record.cost,
    fee_cost: record.feeCost,
    fee_currency: record.feeCurrency,
    decided_at_ms: record.decidedAt,
    recorded_at_ms: record.recordedAt,
    event_date: new Date(record.decidedAt).toISOString().slice(0, 10),
    version: record.version,
  };
}
