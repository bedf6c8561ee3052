/**
 * One open bucket's sums for one symbol (the window's accumulator), the Bucket it closes into, and its
 * snapshot form and back. Plain code for hourly-windows.ts.
 */
import { KeySet } from './key-set.js';
import { idHash } from './recent-ids.js';
import type { Bucket } from './types.js';

// Sums are kept as integers in micro-units: integer addition is associative, so a bucket does not
// depend on the order its tweets arrived in (float addition would differ in the last bits).
export const MICRO = 1_000_000;

export interface Accumulator {
  count: number;
  score: number;
  weight: number;
  weighted: number;
  positive: number;
  negative: number;
  neutral: number;
  authors: KeySet;
  extraAuthors: number;
  first: number;
  last: number;
}

export interface OpenBucketSnapshot {
  readonly symbol: string;
  readonly start: number;
  readonly count: number;
  /** Sums in micro-units (integers). */
  readonly score: number;
  readonly weight: number;
  readonly weighted: number;
  readonly positive: number;
  readonly negative: number;
  readonly neutral: number;
  /** Distinct authors as idHash keys (what snapshot() writes). */
  readonly authorKeys?: ArrayLike<number>;
  /** Distinct authors as ids, as snapshots written before authorKeys have them (read, not written). */
  readonly authors?: readonly string[];
  readonly extraAuthors: number;
  readonly first: number;
  readonly last: number;
}

/** The snapshot of an open bucket: the sums as they are, the authors as their idHash keys. */
export function openBucketOf(symbol: string, start: number, a: Accumulator): OpenBucketSnapshot {
  const { authors, ...sums } = a;
  return { ...sums, symbol, start, authorKeys: authors.keys() };
}

/** The reverse of openBucketOf: the sums as they are, the authors back into a KeySet. */
export function accumulatorOf(b: OpenBucketSnapshot): Accumulator {
  const { symbol: _symbol, start: _start, authorKeys, authors: ids, ...sums } = b;
  const authors = new KeySet();
  if (authorKeys !== undefined) for (let i = 0; i < authorKeys.length; i++) authors.add(authorKeys[i]!);
  for (const id of ids ?? []) authors.add(idHash(id));
  return { ...sums, authors };
}

export function newAccumulator(time: number): Accumulator {
  return {
    count: 0,
    score: 0,
    weight: 0,
    weighted: 0,
    positive: 0,
    negative: 0,
    neutral: 0,
    authors: new KeySet(),
    extraAuthors: 0,
    first: time,
    last: time,
  };
}

export function toBucket(symbol: string, start: number, a: Accumulator): Bucket {
  return {
    kind: 'bucket',
    symbol,
    start,
    count: a.count,
    scoreSum: a.score / MICRO,
    scoreMean: a.count === 0 ? 0 : a.score / (a.count * MICRO),
    weightSum: a.weight / MICRO,
    weightedScoreSum: a.weighted / MICRO,
    weightedMean: a.weight === 0 ? 0 : a.weighted / a.weight,
    positive: a.positive,
    negative: a.negative,
    neutral: a.neutral,
    distinctAuthors: a.authors.size + a.extraAuthors,
    firstEventTime: a.first,
    lastEventTime: a.last,
  };
}
