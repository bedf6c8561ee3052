/**
 * Daily loss in quote units: equity at the first look of the UTC day minus equity now. Equity is the
 * quote balance plus held base assets at their last seen prices. State is per tracker (per process):
 * after a restart the day's reference is the equity at restart.
 */
import type { Balances } from './types.js';

const DAY_MS = 86_400_000;

export function equityOf(balances: Balances, quote: string, prices: ReadonlyMap<string, number>): number {
  let equity = balances[quote]?.total ?? 0;
  for (const [asset, price] of prices) equity += (balances[asset]?.total ?? 0) * price;
  return equity;
}

export interface DailyLossTracker {
  /** Records the latest price of a base asset and returns the loss since the day started (>= 0). */
  observe(now: number, balances: Balances, quote: string, base: string, price: number): number;
}

export function createDailyLossTracker(): DailyLossTracker {
  const prices = new Map<string, number>();
  let day = -1;
  let startEquity = 0;
  return {
    observe(now, balances, quote, base, price) {
      prices.set(base, price);
      const equity = equityOf(balances, quote, prices);
      const today = Math.floor(now / DAY_MS);
      if (today !== day) {
        day = today;
        startEquity = equity;
      }
      return Math.max(0, startEquity - equity);
    },
  };
}
