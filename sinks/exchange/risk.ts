/**
 * Pure pre-trade risk checks. Every order passes `checkRisk` before it reaches a venue; a refusal
 * carries a machine-readable reason that the execution record keeps.
 */
import type { OrderSide } from './types.js';

export interface RiskLimits {
  /** Largest notional of a single order, quote units. */
  readonly maxOrderNotional: number;
  /** Largest position per symbol after a buy, quote units at the current price. */
  readonly maxPositionNotional: number;
  /** Loss since the start of the UTC day (quote units) at which buying stops. */
  readonly maxDailyLoss: number;
  /** Decisions older than this (ms, by the sink's clock) are refused; null disables the check. */
  readonly maxDecisionAgeMs: number | null;
}

export const DEFAULT_RISK_LIMITS: RiskLimits = {
  maxOrderNotional: 1_000,
  maxPositionNotional: 1_000,
  maxDailyLoss: 200,
  maxDecisionAgeMs: 2 * 60 * 60 * 1000,
};

export interface RiskContext {
  readonly side: OrderSide;
  /** Notional of the order to place (amount * price). */
  readonly notional: number;
  /** Notional of the symbol's position before the order. */
  readonly positionNotional: number;
  /** Loss since the start of the day, >= 0 (0 when in profit). */
  readonly dailyLoss: number;
  readonly killSwitch: boolean;
  /** Clock time minus the decision's time. */
  readonly decisionAgeMs: number;
  /**
   * A SELL closing the whole position: bounded by what is held (bought within the limits), so the
   * order-notional limit does not apply; it would otherwise trap a position that grew in value.
   */
  readonly exit?: boolean;
}

export const REFUSAL_REASONS = [
  'kill_switch',
  'stale_decision',
  'zero_quantity',
  'max_order_notional',
  'max_position',
  'max_daily_loss',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type RiskVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: RefusalReason; readonly detail: string };

const EPSILON = 1e-9;
const money = (n: number): string => n.toFixed(2);

/**
 * The first limit the order breaks, or ok. Sells that reduce risk are not stopped by position or loss
 * limits, exits not by the order-notional limit either.
 */
export function checkRisk(context: RiskContext, limits: RiskLimits): RiskVerdict {
  const refuse = (reason: RefusalReason, detail: string): RiskVerdict => ({ ok: false, reason, detail });
  if (context.killSwitch) return refuse('kill_switch', 'kill switch engaged');
  if (limits.maxDecisionAgeMs !== null && context.decisionAgeMs > limits.maxDecisionAgeMs) {
    return refuse('stale_decision', `decision is ${Math.round(context.decisionAgeMs / 1000)}s old`);
  }
  if (!(context.notional > 0)) return refuse('zero_quantity', 'order rounds to nothing');
  if (context.exit !== true && context.notional > limits.maxOrderNotional * (1 + EPSILON)) {
    return refuse(
      'max_order_notional',
      `order notional ${money(context.notional)} > ${money(limits.maxOrderNotional)}`,
    );
  }
  if (context.side === 'sell') return { ok: true };
  const after = context.positionNotional + context.notional;
  if (after > limits.maxPositionNotional * (1 + EPSILON)) {
    return refuse('max_position', `position would be ${money(after)} > ${money(limits.maxPositionNotional)}`);
  }
  if (context.dailyLoss >= limits.maxDailyLoss) {
    return refuse(
      'max_daily_loss',
      `daily loss ${money(context.dailyLoss)} >= ${money(limits.maxDailyLoss)}`,
    );
  }
  return { ok: true };
}
