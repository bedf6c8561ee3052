/**
 * Pure checks over a candle series in time order, reporting what real data gets wrong instead of
 * silently accepting it: gaps (missing candles), duplicates and out-of-order rows, misaligned open
 * times, jumps, large moves, and implausible candles (an open far from its own close with no
 * previous candle to explain it, as in the first row of the 2017 Binance export).
 * `jump`: a candle opening more than the threshold away from the previous close (a discontinuity);
 * `large_move`: a close-to-close move above the threshold (often real, still worth knowing).
 */
import type { Candle } from './candle.js';

export const DEFECT_KINDS = [
  'gap',
  'duplicate',
  'out_of_order',
  'misaligned',
  'jump',
  'large_move',
  'implausible',
] as const;
export type DefectKind = (typeof DEFECT_KINDS)[number];

export interface Defect {
  readonly kind: DefectKind;
  /** Open time of the candle where it was noticed. */
  readonly at: number;
  readonly detail: string;
  /** For gaps: how many candles are missing. */
  readonly missing?: number;
}

export interface DefectOptions {
  readonly timeframeMs: number;
  /** Open-vs-previous-close step (jump) and close-to-close move (large_move) worth reporting (0.05 = 5%). */
  readonly jumpThreshold?: number;
  /** Open-to-close move inside one candle that is implausible without a previous close (0.25 = 25%). */
  readonly implausibleMove?: number;
}

export interface DefectChecker {
  /** Checks the next candle; returns its defects and whether it should be kept (duplicates and out-of-order are dropped). */
  check(candle: Candle): { readonly defects: readonly Defect[]; readonly keep: boolean };
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const signed = (x: number): string => `${x > 0 ? '+' : ''}${pct(x)}`;

export function createDefectChecker({
  timeframeMs,
  jumpThreshold = 0.05,
  implausibleMove = 0.25,
}: DefectOptions): DefectChecker {
  let previous: Candle | null = null;
  return {
    check(candle) {
      const defects: Defect[] = [];
      const at = candle.openTime;
      if (at % timeframeMs !== 0)
        defects.push({ kind: 'misaligned', at, detail: `${iso(at)} is not on a timeframe boundary` });
      if (previous !== null && at === previous.openTime) {
        return {
          defects: [...defects, { kind: 'duplicate', at, detail: `${iso(at)} appears twice; first kept` }],
          keep: false,
        };
      }
      if (previous !== null && at < previous.openTime) {
        return {
          defects: [
            ...defects,
            { kind: 'out_of_order', at, detail: `${iso(at)} after ${iso(previous.openTime)}; dropped` },
          ],
          keep: false,
        };
      }
      if (previous === null) {
        const move = Math.abs(candle.close / candle.open - 1);
        if (move > implausibleMove) {
          defects.push({
            kind: 'implausible',
            at,
            detail: `first candle ${iso(at)} opens at ${candle.open} but closes at ${candle.close} (${pct(move)})`,
          });
        }
      } else {
        const missing = Math.round((at - previous.openTime) / timeframeMs) - 1;
        if (missing > 0) {
          defects.push({
            kind: 'gap',
            at,
            missing,
            detail: `${missing} candle(s) missing between ${iso(previous.openTime)} and ${iso(at)}`,
          });
        }
        // A candle should open where the previous one closed: a big step between them is a data defect.
        const jump = previous.close > 0 ? candle.open / previous.close - 1 : 0;
        if (missing === 0 && Math.abs(jump) > jumpThreshold) {
          defects.push({
            kind: 'jump',
            at,
            detail: `opens at ${candle.open} after a close of ${previous.close} (${signed(jump)}) at ${iso(at)}`,
          });
        }
        // A big close-to-close move may be real; it is reported so that a backtest does not trade through it unseen.
        const move = previous.close > 0 ? candle.close / previous.close - 1 : 0;
        if (Math.abs(move) > jumpThreshold) {
          defects.push({
            kind: 'large_move',
            at,
            detail: `close ${previous.close} -> ${candle.close} (${signed(move)}) at ${iso(at)}`,
          });
        }
      }
      previous = candle;
      return { defects, keep: true };
    },
  };
}

/** Counts per kind and the first few details, for a one-screen report. */
export interface DefectSummary {
  readonly counts: Readonly<Record<DefectKind, number>>;
  readonly missingCandles: number;
  readonly examples: readonly Defect[];
}

export function summarizeDefects(defects: Iterable<Defect>, maxExamplesPerKind = 5): DefectSummary {
  const counts = Object.fromEntries(DEFECT_KINDS.map((k) => [k, 0])) as Record<DefectKind, number>;
  const examples: Defect[] = [];
  let missingCandles = 0;
  for (const d of defects) {
    counts[d.kind] += 1;
    missingCandles += d.missing ?? 0;
    if (counts[d.kind] <= maxExamplesPerKind) examples.push(d);
  }
  return { counts, missingCandles, examples };
}
