/**
 * A backtest's holdings per symbol with their cost basis, kept from the fills. Dust (what the market
 * will not let you sell) is flat: the sell that leaves only dust closes the trade with the dust valued
 * at that price, an exit refused because everything left is dust closes it the same way, and the dust
 * carries that value as its basis, so it neither counts as exposure nor spoils the next trade's profit.
 */
import type { SymbolCode } from '../../operators/types.js';
import { isFlat, ZERO_AMOUNT } from '../../sinks/exchange/dust.js';
import type { OrderRecord } from '../../sinks/exchange/order-record.js';
import type { MarketRules } from '../../sinks/exchange/types.js';

export type Minimums = Pick<MarketRules, 'minAmount' | 'minNotional'>;

export const NO_MINIMUMS: Minimums = { minAmount: null, minNotional: null };

export interface Realised {
  /** Profit of a sell against its share of the basis, fees included (0 for buys). */
  readonly pnl: number;
  /** Base amount left as dust when the sell closed the position, else 0. */
  readonly dust: number;
}

export interface PositionBook {
  /** Books a filled order. */
  fill(record: OrderRecord): Realised;
  /** Closes a position that is all dust at `price` (an exit the market refused); null when it is not dust. */
  closeDust(symbol: SymbolCode, price: number): Realised | null;
  amount(symbol: SymbolCode): number;
  /** Whether the holding is nothing or only dust at `price`. */
  flat(symbol: SymbolCode, price: number): boolean;
}

interface Holding {
  amount: number;
  basis: number;
  open: boolean;
}

export function createPositionBook(rules: ReadonlyMap<SymbolCode, Minimums>): PositionBook {
  /** `open`: bought since the last close (dust left by a close is not a position). */
  const held = new Map<SymbolCode, Holding>();
  const of = (symbol: SymbolCode): Holding =>
    held.get(symbol) ?? held.set(symbol, { amount: 0, basis: 0, open: false }).get(symbol)!;
  const flat = (symbol: SymbolCode, amount: number, price: number): boolean =>
    isFlat(rules.get(symbol) ?? NO_MINIMUMS, amount, price);
  /** Closes the position at `price`: the remaining dust is valued there and becomes the basis. */
  const close = (position: Holding, proceeds: number, price: number): Realised => {
    const dust = position.amount > ZERO_AMOUNT ? position.amount : 0;
    const pnl = proceeds - position.basis + dust * price;
    position.basis = dust * price;
    position.open = false;
    return { pnl, dust };
  };
  return {
    fill(r) {
      const position = of(r.symbol);
      const price = r.averagePrice ?? 0;
      if (r.side === 'buy') {
        position.amount += r.filledAmount;
        position.basis += r.cost + r.feeCost;
        position.open = true;
        return { pnl: 0, dust: 0 };
      }
      const before = position.amount;
      position.amount = Math.max(0, before - r.filledAmount);
      if (flat(r.symbol, position.amount, price)) return close(position, r.cost - r.feeCost, price);
      const basis = position.basis * Math.min(1, r.filledAmount / before);
      position.basis -= basis;
      return { pnl: r.cost - r.feeCost - basis, dust: 0 };
    },
    closeDust(symbol, price) {
      const position = of(symbol);
      if (!position.open || !(position.amount > ZERO_AMOUNT) || !flat(symbol, position.amount, price)) {
        return null;
      }
      return close(position, 0, price);
    },
    amount: (symbol) => held.get(symbol)?.amount ?? 0,
    flat: (symbol, price) => flat(symbol, held.get(symbol)?.amount ?? 0, price),
  };
}
