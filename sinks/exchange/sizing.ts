/** Pure sizing: a Decision's `size` (fraction of the maximum position) becomes a base amount. */
import type { OrderSide } from './types.js';

export interface SizingInput {
  readonly side: OrderSide;
  /** Fraction of the maximum position, in [0, 1]; a SELL of 1 is an exit. */
  readonly size: number;
  readonly price: number;
  /** Maximum position notional per symbol, in quote units. */
  readonly maxPositionNotional: number;
  /** Base units held now (free). */
  readonly held: number;
  /** Venue minimums; a sell that would leave less than these behind sells everything (no dust). */
  readonly minAmount: number | null;
  readonly minNotional: number | null;
}

const EXIT_EPSILON = 1e-9;

/** A SELL of the whole maximum position closes the position whole (Decision.size). */
export function isExit(side: OrderSide, size: number): boolean {
  return side === 'sell' && size >= 1 - EXIT_EPSILON;
}

/**
 * Base amount to trade before venue rounding; 0 when there is nothing to do. An exit sells the whole
 * free balance (the venue's precision then rounds it down; what is left is dust), whatever the price
 * did since the buy: sizing it from the maximum position would leave a remainder after a rise.
 */
export function orderAmount(input: SizingInput): number {
  const { side, price, maxPositionNotional, held } = input;
  if (!(price > 0) || !(maxPositionNotional > 0)) return 0;
  const size = Math.min(1, Math.max(0, Number.isFinite(input.size) ? input.size : 0));
  const wanted = (size * maxPositionNotional) / price;
  if (side === 'buy') return wanted;
  if (!(held > 0) || size === 0) return 0;
  if (isExit(side, size)) return held;
  const rest = held - wanted;
  const dust =
    rest <= 0 ||
    (input.minAmount !== null && rest < input.minAmount) ||
    (input.minNotional !== null && rest * price < input.minNotional);
  return dust ? held : wanted;
}
