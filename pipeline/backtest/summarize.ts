/** The summary of a backtest, from its simulation and what the replay counted. */
import type { SymbolCode } from '../../operators/types.js';
import type { BacktestSummary } from '../../sinks/reports/types.js';
import { hourlyReturns, maxDrawdown, sharpeRatio, sortinoRatio, totalReturn, tradeStats } from './metrics.js';
import type { Simulation } from './simulate.js';

export interface SummaryInput {
  readonly from: number;
  readonly to: number;
  readonly symbols: readonly SymbolCode[];
  readonly strategy: string;
  readonly params: Readonly<Record<string, number>>;
  readonly capital: number;
  readonly feeBps: number;
  readonly slippageBps: number;
  readonly decisions: number;
  readonly tweets: BacktestSummary['tweets'];
  readonly candleGaps: number;
}

export function summarize(sim: Simulation, input: SummaryInput): BacktestSummary {
  const curve = sim.equity.map((p) => p.equity);
  const returns = hourlyReturns(curve);
  const drawdown = maxDrawdown(curve);
  const closed = tradeStats(sim.trades.filter((t) => t.side === 'sell').map((t) => t.pnl));
  const inMarket = sim.equity.filter((p) => p.exposure > 1e-9).length;
  return {
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    symbols: input.symbols,
    strategy: input.strategy,
    params: input.params,
    capital: input.capital,
    finalEquity: curve[curve.length - 1] ?? input.capital,
    totalReturn: totalReturn([input.capital, ...curve]),
    buyAndHoldReturn: totalReturn([input.capital, ...sim.equity.map((p) => p.benchmark)]),
    sharpe: sharpeRatio(returns),
    sortino: sortinoRatio(returns),
    maxDrawdown: drawdown.depth,
    maxDrawdownHours: drawdown.duration,
    maxDrawdownRecovered: drawdown.recoveryIndex !== null,
    trades: sim.trades.filter((t) => t.amount > 0).length,
    closedTrades: closed.closed,
    winRate: closed.winRate,
    averageTrade: closed.averageTrade,
    exposure: sim.equity.length === 0 ? 0 : inMarket / sim.equity.length,
    feesPaid: sim.feesPaid,
    decisions: input.decisions,
    ordersRejected: sim.ordersRejected,
    tweets: input.tweets,
    candleGaps: input.candleGaps,
    feeBps: input.feeBps,
    slippageBps: input.slippageBps,
  };
}
