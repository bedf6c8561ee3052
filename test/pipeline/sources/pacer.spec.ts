import { describe, expect, it } from 'vitest';
import { createPacer } from '../../../pipeline/sources/pacer.js';

const T0 = 1_000_000;

describe('createPacer', () => {
  it('counts what is due from the clock, not from how often it is asked', () => {
    const pacer = createPacer({ rate: 5_000, start: T0 });
    expect(pacer.due(T0)).toBe(0);
    expect(pacer.due(T0 + 100)).toBe(500);
    pacer.emitted(500);
    // A tick 3 ms late owes the 15 envelopes of those 3 ms instead of losing them.
    expect(pacer.due(T0 + 203)).toBe(515);
    pacer.emitted(515);
    expect(pacer.due(T0 + 300)).toBe(485);
  });

  it('keeps fractional rates exact over time', () => {
    const pacer = createPacer({ rate: 0.1, start: T0 });
    expect(pacer.due(T0 + 29_999)).toBe(2);
    expect(pacer.due(T0 + 30_000)).toBe(3);
  });

  it('catches up a late tick in bursts of at most maxBurst', () => {
    const pacer = createPacer({ rate: 1_000, start: T0, maxBurst: 300 });
    expect(pacer.due(T0 + 1_000)).toBe(300);
    pacer.emitted(300);
    expect(pacer.pace(T0 + 1_000)).toMatchObject({ emitted: 300, behind: 700, heldBack: 0 });
    pacer.emitted(pacer.due(T0 + 1_000));
    pacer.emitted(pacer.due(T0 + 1_000));
    pacer.emitted(pacer.due(T0 + 1_000));
    expect(pacer.pace(T0 + 1_000)).toMatchObject({ emitted: 1_000, behind: 0 });
  });

  it('lets the schedule slip while the sink holds the source back, and counts what slipped', () => {
    const pacer = createPacer({ rate: 100, start: T0 });
    pacer.emitted(pacer.due(T0 + 500));
    pacer.holdBack(T0 + 1_500);
    expect(pacer.due(T0 + 1_500)).toBe(0);
    expect(pacer.due(T0 + 1_600)).toBe(10);
    expect(pacer.pace(T0 + 1_600)).toEqual({
      rate: 100,
      emitted: 50,
      behind: 10,
      heldBack: 100,
      elapsedMs: 1_600,
    });
  });

  it('rejects a rate that is not positive and finite', () => {
    expect(() => createPacer({ rate: 0, start: T0 })).toThrow(RangeError);
    expect(() => createPacer({ rate: Number.NaN, start: T0 })).toThrow(RangeError);
    expect(() => createPacer({ rate: Number.POSITIVE_INFINITY, start: T0 })).toThrow(RangeError);
  });
});
