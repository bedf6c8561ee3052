import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySet } from '../../operators/key-set.js';
import { idHash } from '../../operators/recent-ids.js';

describe('KeySet', () => {
  it('behaves as a Set of its keys through any number of adds (and the table growing)', () => {
    // Few distinct ids so that repeats are common; up to 2,000 adds grow the table from 16 slots to 4,096.
    const key = fc.integer({ min: 0, max: 1500 }).map((n) => idHash(`author${n}`));
    fc.assert(
      fc.property(fc.array(key, { maxLength: 2000 }), fc.array(key, { maxLength: 50 }), (adds, probes) => {
        const set = new KeySet();
        const model = new Set<number>();
        for (const k of adds) {
          expect(set.add(k)).toBe(!model.has(k));
          model.add(k);
        }
        expect(set.size).toBe(model.size);
        expect(set.keys().sort()).toEqual([...model].sort());
        for (const k of probes) expect(set.has(k)).toBe(model.has(k));
      }),
      { numRuns: 200 },
    );
  });

  it('tells keys apart that share their low bits', () => {
    const set = new KeySet();
    for (let i = 1; i <= 100; i++) set.add(i * 2 ** 32 + 7);
    expect(set.size).toBe(100);
    expect(set.has(101 * 2 ** 32 + 7)).toBe(false);
  });
});
