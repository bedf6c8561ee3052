/**
 * Pearson and Spearman correlation. Spearman's rho is Pearson's r of the average ranks (ties handled
 * the standard way), which is what research calls the information coefficient (IC). Pure.
 */
import { averageRanks } from './ranks.js';

/** Running sums of a sample of pairs, enough for Pearson's r. */
export interface PairSums {
  n: number;
  x: number;
  y: number;
  xx: number;
  yy: number;
  xy: number;
}

export const emptySums = (): PairSums => ({ n: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 });

/** Adds the pair (a, b) to the sums, or removes it with weight -1. */
export function addPair(s: PairSums, a: number, b: number, weight = 1): void {
  s.n += weight;
  s.x += weight * a;
  s.y += weight * b;
  s.xx += weight * a * a;
  s.yy += weight * b * b;
  s.xy += weight * a * b;
}

/** Pearson's r from sums; null with fewer than 3 pairs or no variation on a side. */
export function correlationOf(s: PairSums): number | null {
  if (s.n < 3) return null;
  const sxx = s.xx - (s.x * s.x) / s.n;
  const syy = s.yy - (s.y * s.y) / s.n;
  if (!(sxx > 1e-12 * s.n) || !(syy > 1e-12 * s.n)) return null;
  const r = (s.xy - (s.x * s.y) / s.n) / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const s = emptySums();
  for (let i = 0; i < x.length; i++) addPair(s, x[i]!, y[i]!);
  return correlationOf(s);
}

/** Spearman's rank correlation of paired finite values. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  return pearson(averageRanks(x), averageRanks(y));
}
