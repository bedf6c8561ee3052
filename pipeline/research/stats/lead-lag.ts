/**
 * The lead-lag scan: Spearman's rho of a signal at hour t against the return of hour t + lag for every
 * lag in [-maxLag, maxLag]. Each series is ranked once over the hours the scan can reach, and each
 * lag is Pearson's r of those ranks over the hours where both exist: one pass per lag. Re-ranking per
 * lag would differ only through the few hours one lag pairs and another does not; the reported peak
 * is recomputed exactly (paired-ranks.ts). Pure.
 */
import { addPair, correlationOf, emptySums } from './correlation.js';
import { rankMasked, sortedOrder } from './ranks.js';

/** Average ranks of the finite values with index in [from, to), minus (n + 1) / 2; NaN elsewhere. */
export function centeredRanksOver(
  values: Float64Array,
  from: number,
  to: number,
  order: Int32Array = sortedOrder(values),
): Float64Array {
  const mask = new Uint8Array(values.length);
  for (let i = Math.max(0, from); i < Math.min(values.length, to); i++) {
    if (Number.isFinite(values[i]!)) mask[i] = 1;
  }
  const ranks = new Float64Array(values.length).fill(Number.NaN);
  const n = rankMasked(values, order, mask, ranks);
  const middle = (n + 1) / 2;
  for (let i = 0; i < ranks.length; i++) if (mask[i] === 1) ranks[i]! -= middle;
  return ranks;
}

/** Pearson's r of a[t] with b[t + shift] over t in [from, to) where both are finite, and how many pairs. */
export function shiftedCorrelation(
  a: Float64Array,
  b: Float64Array,
  shift: number,
  from: number,
  to: number,
): { readonly r: number | null; readonly n: number } {
  const s = emptySums();
  const end = Math.min(to, a.length, b.length - shift);
  for (let t = Math.max(from, 0, -shift); t < end; t++) {
    const x = a[t]!;
    const y = b[t + shift]!;
    if (!Number.isNaN(x) && !Number.isNaN(y)) addPair(s, x, y);
  }
  return { r: correlationOf(s), n: s.n };
}
