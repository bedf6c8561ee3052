/**
 * The exchange sink: turns decisions into at most one order each, across duplicates and restarts.
 * For every BUY/SELL it (1) looks the order up by its client order id, (2) sizes it, (3) applies the
 * risk limits, (4) records the attempt, (5) places it once. When the outcome of a placement is
 * unknown (timeout, 5xx) it looks the order up again; it never re-sends blindly. Every step that
 * matters is recorded through the OrderRecorder (orders topic + ClickHouse).
 */

import { describeError, UnavailableError } from '../../lib/errors.js';
import type { Decision } from '../../operators/types.js';
import { clientOrderIdFor } from './client-order-id.js';
import { createDailyLossTracker } from './daily-loss.js';
import type { KillSwitch } from './kill-switch.js';
import { marketSymbolOf } from './market-symbol.js';
import {
  makeRecord,
  type OrderRecord,
  type RecordBase,
  type RecordFields,
  statusOfOrder,
} from './order-record.js';
import { planOrder } from './plan-order.js';
import { DEFAULT_READ_RETRY, type ReadRetryOptions, retryRead } from './retry.js';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from './risk.js';
import type { Exchange, ExchangeOrder } from './types.js';

/** Where execution records go. Must be durable when it resolves. */
export interface OrderRecorder {
  record(records: readonly OrderRecord[]): Promise<void>;
}

export interface ExchangeSinkOptions {
  readonly exchange: Exchange;
  readonly recorder: OrderRecorder;
  readonly limits?: RiskLimits;
  readonly killSwitch?: KillSwitch;
  /** Wall clock for stale-decision and daily-loss checks; a backtest passes the event time. */
  readonly now?: () => number;
  readonly readRetry?: ReadRetryOptions;
  /** Bound on the in-process memory of settled decisions. */
  readonly rememberDecisions?: number;
  /** Quote currency an asset decision ('BTC') is traded against ('BTC/USDT'). */
  readonly quote?: string;
}

export interface ExchangeSink {
  /** Executes one decision; returns the records it produced ([] for HOLD or an already-settled decision). */
  execute(decision: Decision): Promise<readonly OrderRecord[]>;
  /** Sink port: executes decisions one after the other. */
  write(batch: readonly Decision[]): Promise<void>;
  close(): Promise<void>;
}

export function createExchangeSink({
  exchange,
  recorder,
  limits = DEFAULT_RISK_LIMITS,
  killSwitch = { engaged: () => false },
  now = Date.now,
  readRetry = DEFAULT_READ_RETRY,
  rememberDecisions = 10_000,
  quote = 'USDT',
}: ExchangeSinkOptions): ExchangeSink {
  const settled = new Set<string>();
  const dailyLoss = createDailyLossTracker();
  const read = <T>(fn: () => Promise<T>): Promise<T> => retryRead(fn, readRetry);

  const settle = (clientOrderId: string): void => {
    settled.add(clientOrderId);
    if (settled.size > rememberDecisions) {
      const oldest = settled.values().next().value;
      if (oldest !== undefined) settled.delete(oldest);
    }
  };

  async function execute(decision: Decision): Promise<readonly OrderRecord[]> {
    if (decision.action === 'HOLD' || !(decision.size > 0)) return [];
    const clientOrderId = clientOrderIdFor(decision);
    if (settled.has(clientOrderId)) return [];
    const side = decision.action === 'BUY' ? 'buy' : 'sell';
    const market = marketSymbolOf(decision.symbol, quote);
    const base = (): RecordBase => ({
      decision,
      clientOrderId,
      market,
      side,
      venue: exchange.name,
      mode: exchange.mode,
      recordedAt: now(),
    });
    const produced: OrderRecord[] = [];
    const emit = async (fields: RecordFields, final: boolean): Promise<readonly OrderRecord[]> => {
      const record = makeRecord(base(), fields);
      await recorder.record([record]);
      produced.push(record);
      if (final) settle(clientOrderId);
      return produced;
    };
    const fromOrder = (order: ExchangeOrder, detail: string, referencePrice: number | null = null) =>
      emit({ status: statusOfOrder(order), order, detail, referencePrice }, true);

    const existing = await read(() => exchange.findOrder(market, clientOrderId));
    if (existing) return fromOrder(existing, 'found by client order id; not sent again');

    const plan = await planOrder(decision, market, side, {
      exchange,
      limits,
      killSwitch,
      dailyLoss,
      now,
      read,
    });
    if (plan.kind === 'reject') {
      const sizing = { requestedAmount: plan.amount ?? 0, referencePrice: plan.price ?? null };
      return emit({ status: 'rejected', reason: plan.reason, detail: plan.detail, ...sizing }, true);
    }
    const { amount, price } = plan;
    const sized = { requestedAmount: amount, referencePrice: price };
    if (plan.kind === 'refuse') {
      return emit({ status: 'refused', reason: plan.reason, detail: plan.detail, ...sized }, true);
    }

    await emit({ status: 'attempt', ...sized }, false);
    let result: Awaited<ReturnType<Exchange['placeMarketOrder']>>;
    try {
      result = await exchange.placeMarketOrder({
        clientOrderId,
        symbol: market,
        side,
        amount,
        at: decision.decidedAt,
      });
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      // The venue may have taken the order: ask it, by client order id, before anything else.
      let found: ExchangeOrder | null = null;
      let detail = error.message;
      try {
        found = await read(() => exchange.findOrder(market, clientOrderId));
      } catch (lookupError) {
        detail = `${detail}; lookup failed too: ${describeError(lookupError)}`;
      }
      if (found) return fromOrder(found, 'placement outcome unknown; found by client order id', price);
      await emit({ status: 'unknown', reason: 'outcome_unknown', detail, ...sized }, false);
      throw new UnavailableError(
        exchange.name,
        `order ${clientOrderId} outcome unknown; it will be looked up before any new attempt`,
        error,
      );
    }
    if (result.kind === 'rejected')
      return emit({ status: 'rejected', reason: result.reason, detail: result.message, ...sized }, true);
    return fromOrder(result.order, '', price);
  }

  return {
    execute,
    async write(batch) {
      for (const decision of batch) await execute(decision);
    },
    async close() {
      await exchange.close();
    },
  };
}
