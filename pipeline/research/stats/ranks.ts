/**
 * Ranks for Spearman correlations, computed once and reused: a series is sorted once (`sortedOrder`),
 * then any subset of it is ranked in one pass over that order (`rankMasked`), so the many pairings of
 * a lead-lag scan cost O(n) each instead of a sort each. Ties get the average of their ranks. Pure.
 */

/**
 * Indices of the finite values of `values`, sorted by value (ties by index). An LSD radix sort on the
 * bits of the doubles, 16 bits a pass: four linear passes instead of a comparison sort's n log n calls
 * of a comparator, which dominated research's run time.
 */
export function sortedOrder(values: ArrayLike<number>): Int32Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  // Each double as two uint32 words that compare like the numbers: flip the sign bit of positives,
  // every bit of negatives.
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const low = new Uint32Array(n);
  const high = new Uint32Array(n);
  let order = new Int32Array(n);
  for (let i = 0, k = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    bits[0] = v === 0 ? 0 : v; // -0 sorts with 0
    const negative = words[1]! >>> 31 === 1;
    low[k] = negative ? ~words[0]! >>> 0 : words[0]!;
    high[k] = negative ? ~words[1]! >>> 0 : (words[1]! | 0x80000000) >>> 0;
    order[k++] = i;
  }
  let keys = Int32Array.from({ length: n }, (_, k) => k); // positions into low / high
  let nextOrder = new Int32Array(n);
  let nextKeys = new Int32Array(n);
  const counts = new Int32Array(RADIX + 1);
  for (const [word, shift] of PASSES) {
    const source = word === 0 ? low : high;
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[((source[keys[k]!]! >>> shift) & MASK) + 1]!++;
    for (let d = 0; d < RADIX; d++) counts[d + 1]! += counts[d]!;
    for (let k = 0; k < n; k++) {
      const at = counts[(source[keys[k]!]! >>> shift) & MASK]!++;
      nextOrder[at] = order[k]!;
      nextKeys[at] = keys[k]!;
    }
    [order, nextOrder] = [nextOrder, order];
    [keys, nextKeys] = [nextKeys, keys];
  }
  return order;
}

const RADIX = 1 << 16;
const MASK = RADIX - 1;
/** Least significant first: (word, shift) of each 16-bit digit. */
const PASSES: readonly (readonly [0 | 1, number])[] = [
  [0, 0],
  [0, 16],
  [1, 0],
  [1, 16],
];

/**
 * Writes the 1-based average rank of every index i with mask[i] = 1 into out[i], among those indices
 * only, walking `order` (from sortedOrder). Returns how many were ranked.
 */
export function rankMasked(
  values: ArrayLike<number>,
  order: Int32Array,
  mask: Uint8Array,
  out: Float64Array,
): number {
  let ranked = 0;
  let k = 0;
  while (k < order.length) {
    const value = values[order[k]!]!;
    let end = k;
    let ties = 0;
    while (end < order.length && values[order[end]!] === value) {
      if (mask[order[end]!] === 1) ties++;
      end++;
    }
    if (ties > 0) {
      const average = ranked + (ties + 1) / 2;
      for (let m = k; m < end; m++) if (mask[order[m]!] === 1) out[order[m]!] = average;
      ranked += ties;
    }
    k = end;
  }
  return ranked;
}

/** Average ranks (1-based) of all values, which must be finite. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  rankMasked(values, sortedOrder(values), new Uint8Array(values.length).fill(1), out);
  return out;
}
