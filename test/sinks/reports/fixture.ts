/** A hand-made backtest result for report tests: two symbols over three days, a few trades. */
import type { BacktestResult, BacktestTrade, EquityPoint, SymbolHour } from '../../../sinks/reports/types.js';

const HOUR = 3_600_000;
export const FIXTURE_START = Date.UTC(2021, 0, 4);

export function fixtureResult(hours = 72): BacktestResult {
  const equity: EquityPoint[] = [];
  const btc: SymbolHour[] = [];
  const eth: SymbolHour[] = [];
  for (let h = 0; h <= hours; h++) {
    const time = FIXTURE_START + h * HOUR;
    equity.push({
      time,
      equity: 10_000 * (1 + 0.05 * Math.sin(h / 9) + h / 2_000),
      benchmark: 10_000 * (1 + 0.08 * Math.sin(h / 13)),
      exposure: h % 10 < 5 ? 0.5 : 0,
    });
    if (h < hours) {
      btc.push({
        time,
        weightedMean: Math.sin(h / 5) * 0.4,
        count: 40 + h,
        close: 32_000 + 500 * Math.sin(h / 7),
      });
      eth.push({
        time,
        weightedMean: h % 7 === 0 ? null : Math.cos(h / 6) * 0.3,
        count: 20,
        close: 1_000 + 30 * Math.cos(h / 8),
      });
    }
  }
  const trade = (
    h: number,
    side: 'buy' | 'sell',
    symbol: string,
    price: number,
    pnl = 0,
    dust = 0,
  ): BacktestTrade => ({
    decisionId: `sf-${symbol}-${h}`,
    strategy: 'zscore',
    symbol,
    market: `${symbol}/USDT`,
    side,
    decidedAt: FIXTURE_START + h * HOUR,
    amount: 0.1,
    price,
    cost: 0.1 * price,
    fee: 0.1 * price * 0.001,
    pnl,
    dust,
    reason: side === 'buy' ? 'z 2.100 >= 2, "quoted"' : 'z -2.3 <= -2',
  });
  const trades = [
    trade(5, 'buy', 'BTC', 32_300),
    trade(20, 'sell', 'BTC', 32_450, 12.3),
    trade(30, 'buy', 'ETH', 1_010),
    trade(50, 'sell', 'ETH', 990, -2.5, 0.00004),
  ];
  return {
    runId: 'bt-fixture',
    summary: {
      from: new Date(FIXTURE_START).toISOString(),
      to: new Date(FIXTURE_START + hours * HOUR).toISOString(),
      symbols: ['BTC', 'ETH'],
      strategy: 'zscore',
      params: { threshold: 2, lookback: 24 },
      capital: 10_000,
      finalEquity: equity.at(-1)!.equity,
      totalReturn: equity.at(-1)!.equity / 10_000 - 1,
      buyAndHoldReturn: equity.at(-1)!.benchmark / 10_000 - 1,
      sharpe: 1.23,
      sortino: 2.34,
      maxDrawdown: 0.097,
      maxDrawdownHours: 28,
      maxDrawdownRecovered: true,
      trades: trades.length,
      closedTrades: 2,
      winRate: 0.5,
      averageTrade: 4.9,
      exposure: 0.5,
      feesPaid: trades.reduce((s, t) => s + t.fee, 0),
      decisions: 144,
      ordersRejected: 1,
      tweets: { consumed: 10_000, stored: 8_000, buckets: 144 },
      candleGaps: 0,
      feeBps: 10,
      slippageBps: 5,
    },
    trades,
    equity,
    hours: { BTC: btc, ETH: eth },
  };
}

/**
 * A multi-year run of one symbol (BTC, hourly): a random-walk price, noisy sentiment around a slow
 * mood, volume with a daily cycle, a buy and a sell every few weeks; for the downsampled report.
 */
export function multiYearResult(years = 3): BacktestResult {
  const hours = Math.round(years * 365 * 24);
  const start = Date.UTC(2018, 0, 1);
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  let price = 10_000;
  const btc: SymbolHour[] = [];
  const equity: EquityPoint[] = [];
  const trades: BacktestTrade[] = [];
  let cash = 10_000;
  let held = 0;
  for (let h = 0; h <= hours; h++) {
    const time = start + h * HOUR;
    price *= Math.exp(0.008 * (random() - 0.49));
    if (h < hours) {
      btc.push({
        time,
        weightedMean: h % 500 === 0 ? null : 0.3 * Math.sin(h / 400) + 0.6 * (random() - 0.5),
        count: Math.round(60 + 40 * Math.sin((2 * Math.PI * h) / 24) + 30 * random()),
        close: price,
      });
    }
    const side = h % 600 === 100 ? 'buy' : h % 600 === 400 ? 'sell' : null;
    if (side !== null && h < hours) {
      const amount = side === 'buy' ? (cash * 0.99) / price : held;
      held += side === 'buy' ? amount : -amount;
      cash += side === 'buy' ? -amount * price : amount * price;
      trades.push({
        decisionId: `sf-${h}`,
        strategy: 'surge',
        symbol: 'BTC',
        market: 'BTC/USDT',
        side,
        decidedAt: time,
        amount,
        price,
        cost: amount * price,
        fee: 0,
        pnl: 0,
        dust: 0,
        reason: side,
      });
    }
    equity.push({
      time,
      equity: cash + held * price,
      benchmark: 10_000 * (price / 10_000),
      exposure: held > 0 ? 1 : 0,
    });
  }
  const base = fixtureResult();
  return {
    runId: 'bt-multi-year',
    summary: {
      ...base.summary,
      from: new Date(start).toISOString(),
      to: new Date(start + hours * HOUR).toISOString(),
      symbols: ['BTC'],
      strategy: 'surge',
      trades: trades.length,
      finalEquity: equity.at(-1)!.equity,
      totalReturn: equity.at(-1)!.equity / 10_000 - 1,
      buyAndHoldReturn: equity.at(-1)!.benchmark / 10_000 - 1,
    },
    trades,
    equity,
    hours: { BTC: btc },
  };
}
