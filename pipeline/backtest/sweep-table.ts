/** The ranked table a sweep prints, and its overfitting warning. Pure. */
import type { BacktestResult } from '../../sinks/reports/types.js';

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const opt = (x: number | null, f: (n: number) => string): string => (x === null ? '-' : f(x));

export function sweepTable(ranked: readonly BacktestResult[]): string {
  const header = [
    'rank',
    'params',
    'return',
    'buy&hold',
    'sharpe',
    'sortino',
    'max dd',
    'trades',
    'win rate',
    'run id',
  ];
  const rows = ranked.map((r, i) => {
    const s = r.summary;
    return [
      String(i + 1),
      Object.entries(s.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || '(defaults)',
      pct(s.totalReturn),
      pct(s.buyAndHoldReturn),
      opt(s.sharpe, (n) => n.toFixed(2)),
      opt(s.sortino, (n) => n.toFixed(2)),
      pct(-s.maxDrawdown),
      String(s.trades),
      opt(s.winRate, pct),
      r.runId,
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) =>
        c === 1 || c === cells.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Said with every sweep: the best of many tries is optimistic. */
export function overfittingWarning(combinations: number): string {
  return (
    `warning: ${combinations} parameter combinations were tried on the same period; the best of them is ` +
    'an optimistic estimate (selection bias). Check it on a period that was not used to choose it ' +
    '(walk-forward / out-of-sample) before trusting it.'
  );
}
