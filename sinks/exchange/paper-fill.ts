/** Pure pricing and rounding rules of the paper exchange, table-tested. */
import type { MarketRules, OrderSide, RejectReason } from './types.js';

/** Slippage in basis points: a fixed part plus market impact growing with the order notional. */
export interface SlippageModel {
  readonly fixedBps: number;
  /** Extra bps per 10,000 quote units of notional (0 = no impact). */
  readonly impactBpsPer10k: number;
}

export const NO_SLIPPAGE: SlippageModel = { fixedBps: 0, impactBpsPer10k: 0 };

/** The price a market order fills at: worse than the reference by the slippage, never better. */
export function fillPrice(
  side: OrderSide,
  reference: number,
  notional: number,
  model: SlippageModel,
): number {
  const bps = model.fixedBps + (model.impactBpsPer10k * Math.abs(notional)) / 10_000;
  const factor = bps / 10_000;
  return side === 'buy' ? reference * (1 + factor) : reference * (1 - factor);
}

/** The fee in quote units for a fill of `notional`. */
export function feeFor(notional: number, feeBps: number): number {
  return (Math.abs(notional) * feeBps) / 10_000;
}

/** Rounds down to a multiple of `step` without float dust (0.1 + 0.2 style). */
export function floorToStep(amount: number, step: number): number {
  if (!(step > 0)) return amount;
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 2);
  const units = Math.floor(amount / step + 1e-9);
  return Number((units * step).toFixed(decimals));
}

/** Why a venue would refuse this amount (lot size and limits), or null when it is fine. */
export function amountRejection(
  market: Pick<MarketRules, 'minAmount' | 'maxAmount'> & { readonly amountStep: number },
  amount: number,
): { readonly reason: RejectReason; readonly message: string } | null {
  if (!(amount > 0)) return { reason: 'invalid_order', message: `amount ${amount} is not positive` };
  if (market.minAmount !== null && amount < market.minAmount) {
    return { reason: 'below_min_amount', message: `amount ${amount} below minimum ${market.minAmount}` };
  }
  if (market.maxAmount !== null && amount > market.maxAmount) {
    return { reason: 'above_max_amount', message: `amount ${amount} above maximum ${market.maxAmount}` };
  }
  if (floorToStep(amount, market.amountStep) !== amount) {
    return {
      reason: 'invalid_order',
      message: `amount ${amount} is not a multiple of the lot step ${market.amountStep}`,
    };
  }
  return null;
}
