/**
 * Executes a backtest's decisions on the paper exchange, through the same exchange sink `trade` and
 * `process` use (sizing, risk limits, venue rules), with the sink's clock set to each decision's
 * time. Fills price at the open of the first candle at or after the decision (its bucket's end),
 * so no price from inside the bucket that produced it is ever used. Then values the portfolio and a
 * buy-and-hold benchmark hour by hour. Deterministic: same decisions and candles, same result.
 */
import type { Decision, SymbolCode } from '../../operators/types.js';
import { createExchangeSink } from '../../sinks/exchange/exchange-sink.js';
import { marketSymbolOf } from '../../sinks/exchange/market-symbol.js';
import { createMemoryRecorder } from '../../sinks/exchange/order-recorder.js';
import { createPaperExchange } from '../../sinks/exchange/paper-exchange.js';
import { feeFor } from '../../sinks/exchange/paper-fill.js';
import type { BacktestTrade, EquityPoint } from '../../sinks/reports/types.js';
import { HOUR_MS, type PriceSeries } from './price-series.js';

export interface SimulationOptions {
  readonly from: number;
  readonly to: number;
  readonly symbols: readonly SymbolCode[];
  /** Price series per symbol (its market, e.g. BTC/USDT). */
  readonly prices: ReadonlyMap<SymbolCode, PriceSeries>;
  readonly capital?: number;
  readonly quote?: string;
  readonly feeBps?: number;
  readonly slippageBps?: number;
}

export interface Simulation {
  readonly trades: BacktestTrade[];
  readonly equity: EquityPoint[];
  readonly ordersRejected: number;
  readonly feesPaid: number;
  /** Decisions executed (BUY/SELL/HOLD inside the period). */
  readonly executed: number;
}

/** Valuation price at `t`: the close known then, else the open at `t` (first hour of the period). */
function markAt(series: PriceSeries, t: number): number | null {
  return series.closeAt(t) ?? series.fillPrice(t);
}

export async function simulate(
  decisions: readonly Decision[],
  {
    from,
    to,
    symbols,
    prices,
    capital = 10_000,
    quote = 'USDT',
    feeBps = 10,
    slippageBps = 0,
  }: SimulationOptions,
): Promise<Simulation> {
  const bySymbol = new Map<string, PriceSeries>();
  for (const [symbol, series] of prices) bySymbol.set(marketSymbolOf(symbol, quote), series);
  const exchange = createPaperExchange({
    priceSource: { priceAt: async (market, at) => bySymbol.get(market)?.fillPrice(at) ?? null },
    balances: { [quote]: capital },
    feeBps,
    slippage: { fixedBps: slippageBps, impactBpsPer10k: 0 },
  });
  const perSymbol = capital / Math.max(1, symbols.length);
  const costFactor = (1 + slippageBps / 10_000) * (1 + feeBps / 10_000);
  const recorder = createMemoryRecorder();
  /**
   * Sizing compounds: a full position is the symbol's share of the equity at the decision (capped
   * by the cash it can use), less what its slippage and fee will cost. The sink is rebuilt with those
   * limits for each decision; the paper exchange (balances, orders by client id) is shared.
   */
  const sinkFor = (decision: Decision, budget: number) =>
    createExchangeSink({
      exchange,
      recorder,
      quote,
      now: () => decision.decidedAt,
      limits: {
        maxOrderNotional: Math.max(0, budget / costFactor - 1e-6),
        maxPositionNotional: Math.max(0, budget / costFactor - 1e-6),
        maxDailyLoss: Number.POSITIVE_INFINITY,
        maxDecisionAgeMs: null,
      },
    });

  const first = Math.floor(from / HOUR_MS) * HOUR_MS;
  const last = Math.ceil(to / HOUR_MS) * HOUR_MS;
  const ordered = decisions
    .filter((d) => symbols.includes(d.symbol) && d.decidedAt >= first && d.decidedAt <= last)
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.decidedAt - b.d.decidedAt || a.i - b.i)
    .map(({ d }) => d);

  const held = new Map<string, { amount: number; basis: number }>();
  const trades: BacktestTrade[] = [];
  const equity: EquityPoint[] = [];
  const benchmark = new Map<SymbolCode, number>();
  for (const symbol of symbols) {
    const open = prices.get(symbol)?.fillPrice(first) ?? null;
    if (open !== null && open > 0) benchmark.set(symbol, (perSymbol - feeFor(perSymbol, feeBps)) / open);
  }
  let cash = capital;
  let fees = 0;
  let rejected = 0;
  let next = 0;

  for (let t = first; t <= last; t += HOUR_MS) {
    while (next < ordered.length && ordered[next]!.decidedAt <= t) {
      const decision = ordered[next++]!;
      const series = prices.get(decision.symbol);
      const mark = series ? markAt(series, decision.decidedAt) : null;
      let equityNow = cash;
      for (const [symbol, position] of held) {
        const p = prices.get(symbol);
        equityNow += position.amount * ((p ? markAt(p, decision.decidedAt) : null) ?? 0);
      }
      const own = (held.get(decision.symbol)?.amount ?? 0) * (mark ?? 0);
      const budget = Math.min(equityNow / Math.max(1, symbols.length), cash + own);
      const before = recorder.records.length;
      await sinkFor(decision, budget).execute(decision);
      for (const r of recorder.records.slice(before)) {
        if (r.status === 'rejected' || r.status === 'refused') rejected++;
        if (r.status !== 'filled' || r.averagePrice === null) continue;
        const position = held.get(r.symbol) ?? { amount: 0, basis: 0 };
        let pnl = 0;
        if (r.side === 'buy') {
          position.amount += r.filledAmount;
          position.basis += r.cost + r.feeCost;
          cash -= r.cost + r.feeCost;
        } else {
          const share = position.amount > 0 ? Math.min(1, r.filledAmount / position.amount) : 0;
          const basis = position.basis * share;
          pnl = r.cost - r.feeCost - basis;
          position.basis -= basis;
          position.amount = Math.max(0, position.amount - r.filledAmount);
          cash += r.cost - r.feeCost;
        }
        held.set(r.symbol, position);
        fees += r.feeCost;
        trades.push({
          decisionId: r.decisionId,
          strategy: r.strategy,
          symbol: r.symbol,
          market: r.market,
          side: r.side,
          decidedAt: r.decidedAt,
          amount: r.filledAmount,
          price: r.averagePrice,
          cost: r.cost,
          fee: r.feeCost,
          pnl,
          reason: decision.reason,
        });
      }
    }
    let assets = 0;
    let bench = capital - perSymbol * benchmark.size;
    for (const symbol of symbols) {
      const series = prices.get(symbol);
      const mark = series ? markAt(series, t) : null;
      if (mark === null) continue;
      assets += (held.get(symbol)?.amount ?? 0) * mark;
      bench += (benchmark.get(symbol) ?? 0) * mark;
    }
    const total = cash + assets;
    equity.push({ time: t, equity: total, benchmark: bench, exposure: total > 0 ? assets / total : 0 });
  }
  return {
    trades,
    equity,
    ordersRejected: rejected,
    feesPaid: fees,
    executed: ordered.length,
  };
}
