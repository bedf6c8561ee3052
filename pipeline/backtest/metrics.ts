/**
 * Performance metrics of an hourly equity curve and a list of closed trades. Pure and table-tested
 * on hand-made curves. Conventions: simple hourly returns, annualised with sqrt(24 * 365) (crypto
 * trades every hour of the year), sample standard deviation (n - 1), Sortino's downside deviation
 * over all returns (zero for gains) against a 0 target.
 */

export const HOURS_PER_YEAR = 24 * 365;

/** Simple returns between consecutive points: e[i] / e[i - 1] - 1. */
export function hourlyReturns(equity: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const prev = equity[i - 1]!;
    out.push(prev > 0 ? equity[i]! / prev - 1 : 0);
  }
  return out;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}

/** Annualised Sharpe ratio (risk-free 0); null with fewer than two returns or no variation. */
export function sharpeRatio(returns: readonly number[], periodsPerYear = HOURS_PER_YEAR): number | null {
  if (returns.length < 2) return null;
  const m = mean(returns);
  let squares = 0;
  for (const r of returns) squares += (r - m) ** 2;
  const std = Math.sqrt(squares / (returns.length - 1));
  if (!(std > 1e-15)) return null;
  return (m / std) * Math.sqrt(periodsPerYear);
}

/** Annualised Sortino ratio (target 0); null with fewer than two returns or no losing hour. */
export function sortinoRatio(returns: readonly number[], periodsPerYear = HOURS_PER_YEAR): number | null {
  if (returns.length < 2) return null;
  let downside = 0;
  for (const r of returns) if (r < 0) downside += r * r;
  const dd = Math.sqrt(downside / returns.length);
  if (!(dd > 1e-15)) return null;
  return (mean(returns) / dd) * Math.sqrt(periodsPerYear);
}

export interface Drawdown {
  /** Deepest fall from a running peak, as a fraction of the peak (0.25 = -25%). */
  readonly depth: number;
  readonly peakIndex: number;
  readonly troughIndex: number;
  /** Index where the curve first regained the peak, or null when it never did. */
  readonly recoveryIndex: number | null;
  /** Points from the peak to the recovery (or to the last point when not recovered). */
  readonly duration: number;
}

/** The maximum drawdown of a curve and how long it lasted. */
export function maxDrawdown(equity: readonly number[]): Drawdown {
  let best: Drawdown = { depth: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: 0, duration: 0 };
  let peak = equity[0] ?? 0;
  let peakIndex = 0;
  for (let i = 1; i < equity.length; i++) {
    const value = equity[i]!;
    if (value >= peak) {
      peak = value;
      peakIndex = i;
      continue;
    }
    const depth = peak > 0 ? 1 - value / peak : 0;
    if (depth > best.depth) best = { depth, peakIndex, troughIndex: i, recoveryIndex: null, duration: 0 };
  }
  if (best.depth === 0) return best;
  const top = equity[best.peakIndex]!;
  let recoveryIndex: number | null = null;
  for (let i = best.troughIndex + 1; i < equity.length; i++) {
    if (equity[i]! >= top) {
      recoveryIndex = i;
      break;
    }
  }
  const end = recoveryIndex ?? equity.length - 1;
  return { ...best, recoveryIndex, duration: end - best.peakIndex };
}

export interface TradeStats {
  readonly closed: number;
  readonly winRate: number | null;
  readonly averageTrade: number | null;
}

/** Win rate and mean profit over realised trade results (one per closing sell). */
export function tradeStats(pnls: readonly number[]): TradeStats {
  if (pnls.length === 0) return { closed: 0, winRate: null, averageTrade: null };
  const wins = pnls.filter((p) => p > 0).length;
  return { closed: pnls.length, winRate: wins / pnls.length, averageTrade: mean(pnls) };
}

/** Total return of a curve: last / first - 1 (0 for an empty curve). */
export function totalReturn(equity: readonly number[]): number {
  const first = equity[0];
  const last = equity[equity.length - 1];
  return first === undefined || last === undefined || !(first > 0) ? 0 : last / first - 1;
}
