/**
 * What a backtest produces: fills, an hourly equity curve against buy-and-hold, and the summary
 * metrics. Report writers (sinks/reports) and the ClickHouse record read these shapes.
 */
import type { SymbolCode } from '../../operators/types.js';

/** One filled order of the paper exchange, or (amount 0) an exit the market refused because all left was dust. */
export interface BacktestTrade {
  readonly decisionId: string;
  readonly strategy: string;
  readonly symbol: SymbolCode;
  readonly market: string;
  readonly side: 'buy' | 'sell';
  /** The decision's time (its bucket's end); the fill uses the first candle opening at or after it. */
  readonly decidedAt: number;
  readonly amount: number;
  readonly price: number;
  /** Quote spent (buy) or received (sell), before the fee. */
  readonly cost: number;
  readonly fee: number;
  /**
   * Realised profit of a sell against the average entry cost (fees included); 0 for buys. A sell that
   * leaves only dust closes the position: its profit counts the dust at the fill price.
   */
  readonly pnl: number;
  /** Base amount a sell left behind that the market will not let you sell (0 when none): flat. */
  readonly dust: number;
  readonly reason: string;
}

/** Portfolio state at the end of one hour (valued at the candle closes known then). */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
  /** Buy-and-hold of the same symbols with the same capital, bought at the start. */
  readonly benchmark: number;
  /** Fraction of equity held in assets, in [0, 1]; dust counts as flat. */
  readonly exposure: number;
}

/** Hourly chart data per symbol: the weighted sentiment of the bucket and the close of that hour. */
export interface SymbolHour {
  readonly time: number;
  readonly weightedMean: number | null;
  readonly count: number;
  readonly close: number | null;
}

export interface BacktestSummary {
  readonly from: string;
  readonly to: string;
  readonly symbols: readonly SymbolCode[];
  readonly strategy: string;
  readonly params: Readonly<Record<string, number>>;
  readonly capital: number;
  readonly finalEquity: number;
  readonly totalReturn: number;
  readonly buyAndHoldReturn: number;
  /** Annualised from hourly returns (sqrt(24 * 365)); null when the curve is flat or too short. */
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdown: number;
  /** Hours from the peak before the deepest trough until the curve regained it (or the end). */
  readonly maxDrawdownHours: number;
  readonly maxDrawdownRecovered: boolean;
  readonly trades: number;
  /** Sells that closed (part of) a position, dust closes included. */
  readonly closedTrades: number;
  readonly winRate: number | null;
  /** Mean realised profit of closed trades, quote units. */
  readonly averageTrade: number | null;
  /** Fraction of hours with a position held (dust is flat). */
  readonly exposure: number;
  readonly feesPaid: number;
  readonly decisions: number;
  readonly ordersRejected: number;
  readonly tweets: { readonly consumed: number; readonly stored: number; readonly buckets: number };
  /** Hours without a candle inside the period (prices carried forward). */
  readonly candleGaps: number;
  readonly feeBps: number;
  readonly slippageBps: number;
}

export interface BacktestResult {
  readonly runId: string;
  readonly summary: BacktestSummary;
  readonly trades: readonly BacktestTrade[];
  readonly equity: readonly EquityPoint[];
  readonly hours: Readonly<Record<SymbolCode, readonly SymbolHour[]>>;
}
