/**
 * Executes a backtest's decisions on the paper exchange, through the same exchange sink `trade` and
 * `process` use (sizing, risk limits, venue rules), with the sink's clock set to each decision's
 * time. Fills price at the open of the first candle at or after the decision (its bucket's end),
 * so no price from inside the bucket that produced it is ever used. Then values the portfolio and a
 * buy-and-hold benchmark hour by hour. Deterministic: same decisions and candles, same result.
 * Dust (what a sell leaves that the market will not let you sell) is flat: the sell that left it
 * closes the trade, with the dust valued at that fill's price, and it never counts as exposure.
 */
import type { Decision, SymbolCode } from '../../operators/types.js';
import { createExchangeSink } from '../../sinks/exchange/exchange-sink.js';
import { marketSymbolOf } from '../../sinks/exchange/market-symbol.js';
import type { OrderRecord } from '../../sinks/exchange/order-record.js';
import { createMemoryRecorder } from '../../sinks/exchange/order-recorder.js';
import { createPaperExchange } from '../../sinks/exchange/paper-exchange.js';
import { feeFor } from '../../sinks/exchange/paper-fill.js';
import { isExit } from '../../sinks/exchange/sizing.js';
import type { BacktestTrade, EquityPoint } from '../../sinks/reports/types.js';
import { createPositionBook, type Minimums, NO_MINIMUMS, type Realised } from './position-book.js';
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

function tradeOf(r: OrderRecord, realised: Realised, reason: string): BacktestTrade {
  return {
    decisionId: r.decisionId,
    strategy: r.strategy,
    symbol: r.symbol,
    market: r.market,
    side: r.side,
    decidedAt: r.decidedAt,
    amount: r.filledAmount,
    price: r.averagePrice ?? r.referencePrice ?? 0,
    cost: r.cost,
    fee: r.feeCost,
    ...realised,
    reason,
  };
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

  const rules = new Map<SymbolCode, Minimums>();
  for (const symbol of symbols) {
    rules.set(symbol, (await exchange.market(marketSymbolOf(symbol, quote))) ?? NO_MINIMUMS);
  }
  const book = createPositionBook(rules);
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
      for (const symbol of symbols) {
        const p = prices.get(symbol);
        equityNow += book.amount(symbol) * ((p ? markAt(p, decision.decidedAt) : null) ?? 0);
      }
      // Dust is flat: it is no part of what a buy may spend.
      const own = mark === null || book.flat(decision.symbol, mark) ? 0 : book.amount(decision.symbol) * mark;
      const budget = Math.min(equityNow / Math.max(1, symbols.length), cash + own);
      const before = recorder.records.length;
      await sinkFor(decision, budget).execute(decision);
      for (const r of recorder.records.slice(before)) {
        if (r.status === 'rejected' || r.status === 'refused') {
          rejected++;
          // An exit the market refused because all that is left is dust: the position is closed.
          const closed =
            isExit(r.side, decision.size) && r.referencePrice !== null
              ? book.closeDust(r.symbol, r.referencePrice)
              : null;
          if (closed) trades.push(tradeOf(r, closed, `${decision.reason}; dust, not sold`));
        }
        if (r.status !== 'filled' || r.averagePrice === null) continue;
        cash += r.side === 'buy' ? -(r.cost + r.feeCost) : r.cost - r.feeCost;
        fees += r.feeCost;
        trades.push(tradeOf(r, book.fill(r), decision.reason));
      }
    }
    let assets = 0;
    let exposed = 0;
    let bench = capital - perSymbol * benchmark.size;
    for (const symbol of symbols) {
      const series = prices.get(symbol);
      const mark = series ? markAt(series, t) : null;
      if (mark === null) continue;
      const value = book.amount(symbol) * mark;
      assets += value;
      if (!book.flat(symbol, mark)) exposed += value;
      bench += (benchmark.get(symbol) ?? 0) * mark;
    }
    const total = cash + assets;
    equity.push({ time: t, equity: total, benchmark: bench, exposure: total > 0 ? exposed / total : 0 });
  }
  return {
    trades,
    equity,
    ordersRejected: rejected,
    feesPaid: fees,
    executed: ordered.length,
  };
}
