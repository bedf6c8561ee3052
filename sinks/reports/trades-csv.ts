/**
 * trades.csv: one row per fill, RFC 4180 quoting, ISO times, a header naming each column. `dust` is
 * the base amount a sell left that the market will not let you sell: the position is flat after it.
 */
import type { BacktestTrade } from './types.js';

export const TRADE_COLUMNS = [
  'decided_at',
  'decision_id',
  'strategy',
  'symbol',
  'market',
  'side',
  'amount',
  'price',
  'cost',
  'fee',
  'pnl',
  'dust',
  'reason',
] as const;

function cell(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tradesCsv(trades: readonly BacktestTrade[]): string {
  const lines = [TRADE_COLUMNS.join(',')];
  for (const t of trades) {
    lines.push(
      [
        new Date(t.decidedAt).toISOString(),
        t.decisionId,
        t.strategy,
        t.symbol,
        t.market,
        t.side,
        t.amount,
        t.price,
        t.cost,
        t.fee,
        t.pnl,
        t.dust,
        t.reason,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
