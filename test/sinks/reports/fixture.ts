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
