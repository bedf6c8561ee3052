/**
 * Reads what sizing and the risk limits need from the venue (rules, price, balances) and decides:
 * reject (the venue cannot trade it), refuse (a limit says no) or place this amount.
 */
import type { Decision } from '../../operators/types.js';
import type { DailyLossTracker } from './daily-loss.js';
import { isDust, isFlat } from './dust.js';
import type { KillSwitch } from './kill-switch.js';
import { checkRisk, type RiskLimits } from './risk.js';
import { isExit, orderAmount } from './sizing.js';
import type { Exchange, OrderSide, RejectReason } from './types.js';

export type OrderPlan =
  | {
      readonly kind: 'reject';
      readonly reason: RejectReason;
      readonly detail: string;
      readonly amount?: number;
      readonly price?: number;
    }
  | {
      readonly kind: 'refuse';
      readonly reason: string;
      readonly detail: string;
      readonly amount: number;
      readonly price: number;
    }
  | { readonly kind: 'place'; readonly amount: number; readonly price: number };

export interface PlanContext {
  readonly exchange: Exchange;
  readonly limits: RiskLimits;
  readonly killSwitch: KillSwitch;
  readonly dailyLoss: DailyLossTracker;
  readonly now: () => number;
  /** Wraps venue reads (retries). */
  readonly read: <T>(fn: () => Promise<T>) => Promise<T>;
}

export async function planOrder(
  decision: Decision,
  symbol: string,
  side: OrderSide,
  context: PlanContext,
): Promise<OrderPlan> {
  const { exchange, limits, read } = context;
  const market = await read(() => exchange.market(symbol));
  if (!market)
    return {
      kind: 'reject',
      reason: 'unknown_symbol',
      detail: `${exchange.name} does not list ${symbol}`,
    };
  const price = await read(() => exchange.price(symbol, decision.decidedAt));
  if (price === null || !(price > 0))
    return { kind: 'reject', reason: 'no_price', detail: 'no reference price' };
  const balances = await read(() => exchange.balances());
  const held = balances[market.base]?.free ?? 0;
  const total = balances[market.base]?.total ?? 0;
  const raw = orderAmount({
    side,
    size: decision.size,
    price,
    maxPositionNotional: limits.maxPositionNotional,
    held,
    minAmount: market.minAmount,
    minNotional: market.minNotional,
  });
  const amount = raw > 0 ? await exchange.roundAmount(symbol, raw) : 0;
  const exit = isExit(side, decision.size);
  if (exit && isDust(market, held, price)) {
    // Nothing of it can be sold: the position is dust, flat for every purpose but equity.
    const below = market.minAmount !== null && amount < market.minAmount;
    return {
      kind: 'reject',
      reason: below ? 'below_min_amount' : 'below_min_notional',
      detail: `dust: the whole balance ${held} ${market.base} is below the venue minimum ${below ? `amount ${market.minAmount}` : `notional ${market.minNotional}`}`,
      amount,
      price,
    };
  }
  const clock = context.now();
  const verdict = checkRisk(
    {
      side,
      notional: amount * price,
      // Dust is flat: it must not keep a full-size buy from fitting the position limit.
      positionNotional: isFlat(market, total, price) ? 0 : total * price,
      dailyLoss: context.dailyLoss.observe(clock, balances, market.quote, market.base, price),
      killSwitch: context.killSwitch.engaged(),
      decisionAgeMs: clock - decision.decidedAt,
      exit,
    },
    limits,
  );
  if (!verdict.ok) return { kind: 'refuse', reason: verdict.reason, detail: verdict.detail, amount, price };
  // The venue's own limits from loadMarkets: an order it would refuse is not sent.
  const venue = (reason: RejectReason, detail: string): OrderPlan => ({
    kind: 'reject',
    reason,
    detail,
    amount,
    price,
  });
  if (market.minAmount !== null && amount < market.minAmount) {
    return venue('below_min_amount', `amount ${amount} below the venue minimum ${market.minAmount}`);
  }
  if (market.maxAmount !== null && amount > market.maxAmount) {
    return venue('above_max_amount', `amount ${amount} above the venue maximum ${market.maxAmount}`);
  }
  if (market.minNotional !== null && amount * price < market.minNotional) {
    return venue(
      'below_min_notional',
      `notional ${(amount * price).toFixed(2)} below the venue minimum ${market.minNotional}`,
    );
  }
  return { kind: 'place', amount, price };
}
