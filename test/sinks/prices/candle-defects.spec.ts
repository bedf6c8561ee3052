import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../sinks/prices/candle.js';
import { createDefectChecker, summarizeDefects } from '../../../sinks/prices/candle-defects.js';

const HOUR = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const candle = (hour: number, close: number, open = close): Candle => ({
  openTime: T + hour * HOUR,
  open,
  high: Math.max(open, close),
  low: Math.min(open, close),
  close,
  volume: 1,
});

function check(candles: readonly Candle[]) {
  const checker = createDefectChecker({ timeframeMs: HOUR, jumpThreshold: 0.05 });
  return candles.map((c) => checker.check(c));
}

describe('candle defects', () => {
  it('finds nothing wrong in a clean series', () => {
    expect(check([candle(0, 100), candle(1, 101), candle(2, 102)]).flatMap((r) => r.defects)).toEqual([]);
  });

  it('reports a gap with the number of missing candles', () => {
    const defects = check([candle(0, 100), candle(3, 100)]).flatMap((r) => r.defects);
    expect(defects).toEqual([expect.objectContaining({ kind: 'gap', missing: 2, at: T + 3 * HOUR })]);
  });

  it('reports a candle opening far from the previous close as a jump', () => {
    const results = check([candle(0, 100), candle(1, 107, 106), candle(2, 107, 107)]);
    expect(results.map((r) => r.defects.map((d) => d.kind))).toEqual([[], ['jump', 'large_move'], []]);
    expect(results[1]?.defects[0]?.detail).toMatch(/opens at 106 after a close of 100 \(\+6\.0%\)/);
  });

  it('reports large close-to-close moves both ways, without a jump when the candles connect', () => {
    const kinds = check([candle(0, 100), candle(1, 106, 100), candle(2, 100, 106), candle(3, 104, 100)]).map(
      (r) => r.defects.map((d) => d.kind),
    );
    expect(kinds).toEqual([[], ['large_move'], ['large_move'], []]);
  });

  it('does not call the step after a gap a jump', () => {
    const kinds = check([candle(0, 100), candle(3, 110, 110)]).flatMap((r) => r.defects.map((d) => d.kind));
    expect(kinds).toEqual(['gap', 'large_move']);
  });

  it('reports an implausible first candle', () => {
    const [first] = check([candle(0, 4308.83, 16199.91)]);
    expect(first?.defects[0]).toMatchObject({ kind: 'implausible' });
    expect(first?.defects[0]?.detail).toMatch(/opens at 16199.91 but closes at 4308.83/);
  });

  it('drops duplicates and out-of-order rows, keeping the first', () => {
    const results = check([candle(0, 100), candle(1, 100), candle(1, 100), candle(0, 100)]);
    expect(results.map((r) => r.keep)).toEqual([true, true, false, false]);
    expect(results.flatMap((r) => r.defects.map((d) => d.kind))).toEqual(['duplicate', 'out_of_order']);
  });

  it('reports misaligned open times', () => {
    const [first] = check([{ ...candle(0, 100), openTime: T + 60_000 }]);
    expect(first?.defects.map((d) => d.kind)).toEqual(['misaligned']);
  });

  it('summarizes counts, missing candles and a few examples per kind', () => {
    const summary = summarizeDefects(
      check([candle(0, 100), candle(2, 100), candle(5, 100)]).flatMap((r) => r.defects),
      1,
    );
    expect(summary.counts.gap).toBe(2);
    expect(summary.missingCandles).toBe(3);
    expect(summary.examples).toHaveLength(1);
  });
});
