/**
 * Dust: a holding the venue will not let you sell, because it is below the market's minimum amount
 * (which covers what its amount precision rounds away) or minimum notional at the current price. A
 * position of dust is flat: it counts for equity, never for exposure, win rate or open trades.
 */
import type { MarketRules } from './types.js';

/** Float noise left by sums of amounts (0.1 + 0.2 - 0.3): an amount this small is nothing. */
export const ZERO_AMOUNT = 1e-12;

type Minimums = Pick<MarketRules, 'minAmount' | 'minNotional'>;

/** A holding above zero that cannot be sold at `price`. */
export function isDust(rules: Minimums, amount: number, price: number): boolean {
  if (!(amount > ZERO_AMOUNT)) return false;
  return (
    (rules.minAmount !== null && amount < rules.minAmount) ||
    (rules.minNotional !== null && amount * price < rules.minNotional)
  );
}

/** Nothing held, or only dust: out of the market. */
export function isFlat(rules: Minimums, amount: number, price: number): boolean {
  return !(amount > ZERO_AMOUNT) || isDust(rules, amount, price);
}
