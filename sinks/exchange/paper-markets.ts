/** The markets the paper exchange trades, with Binance-like spot rules. */
import type { MarketRules } from './types.js';

export interface PaperMarket extends MarketRules {
  /** Amount step (lot size) in base units. */
  readonly amountStep: number;
}

/** Binance-like spot rules for the symbols the pipeline knows. */
export const DEFAULT_PAPER_MARKETS: readonly PaperMarket[] = [
  {
    symbol: 'BTC/USDT',
    base: 'BTC',
    quote: 'USDT',
    minAmount: 0.00001,
    maxAmount: 9000,
    minNotional: 5,
    amountStep: 0.00001,
  },
  {
    symbol: 'ETH/USDT',
    base: 'ETH',
    quote: 'USDT',
    minAmount: 0.0001,
    maxAmount: 9000,
    minNotional: 5,
    amountStep: 0.0001,
  },
  {
    symbol: 'SOL/USDT',
    base: 'SOL',
    quote: 'USDT',
    minAmount: 0.001,
    maxAmount: 90000,
    minNotional: 5,
    amountStep: 0.001,
  },
  {
    symbol: 'ADA/USDT',
    base: 'ADA',
    quote: 'USDT',
    minAmount: 0.1,
    maxAmount: 9_000_000,
    minNotional: 5,
    amountStep: 0.1,
  },
  {
    symbol: 'DOGE/USDT',
    base: 'DOGE',
    quote: 'USDT',
    minAmount: 1,
    maxAmount: 9_000_000,
    minNotional: 5,
    amountStep: 1,
  },
  {
    symbol: 'XRP/USDT',
    base: 'XRP',
    quote: 'USDT',
    minAmount: 0.1,
    maxAmount: 9_000_000,
    minNotional: 5,
    amountStep: 0.1,
  },
];
