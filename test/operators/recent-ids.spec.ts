import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idHash, RecentIds } from '../../operators/recent-ids.js';

/** The obvious implementation the table must agree with: a FIFO of arrivals and a Map. */
class Model {
  private readonly ring: { id: string; time: number; seq: number }[] = [];
  private readonly last = new Map<string, number>();
  private readonly times = new Map<number, number>();
  private seq = 0;
  private latest = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly capacity: number,
    private readonly horizonMs: number,
  ) {}
  get size() {
    return this.last.size;
  }
  advance(t: number) {
    if (t <= this.latest) return;
    this.latest = t;
    while (this.ring.length > 0 && this.ring[0]!.time < t - this.horizonMs) this.evict();
  }
  has(id: string) {
    const seq = this.last.get(id);
    return seq !== undefined && this.times.get(seq)! >= this.latest - this.horizonMs;
  }
  add(id: string, time: number) {
    if (this.ring.length === this.capacity) this.evict();
    const seq = this.seq++;
    this.ring.push({ id, time, seq });
    this.times.set(seq, time);
    this.last.set(id, seq);
  }
  /** The held ids in arrival order, each at its latest arrival: what snapshot() must list. */
  snapshot() {
    const held = this.ring.filter((r) => this.last.get(r.id) === r.seq);
    return { keys: held.map((r) => idHash(r.id)), times: held.map((r) => r.time) };
  }
  private evict() {
    const { id, seq } = this.ring.shift()!;
    if (this.last.get(id) === seq) this.last.delete(id);
  }
}

describe('RecentIds', () => {
  it('agrees with a plain FIFO + Map model on any sequence of operations', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        id: fc.integer({ min: 0, max: 40 }),
        time: fc.integer({ min: 0, max: 100 }),
      }),
      fc.record({ kind: fc.constant('advance' as const), time: fc.integer({ min: 0, max: 100 }) }),
      fc.record({
        kind: fc.constant('seenOrAdd' as const),
        id: fc.integer({ min: 0, max: 40 }),
        time: fc.integer({ min: 0, max: 100 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 50 }),
        fc.array(op, { maxLength: 200 }),
        (capacity, horizon, ops) => {
          const ids = new RecentIds({ capacity, horizonMs: horizon });
          const model = new Model(capacity, horizon);
          for (const o of ops) {
            if (o.kind === 'advance') {
              ids.advance(o.time);
              model.advance(o.time);
            } else if (o.kind === 'add') {
              ids.add(String(o.id), o.time);
              model.add(String(o.id), o.time);
            } else {
              // seenOrAdd is has, then add when not seen.
              const seen = model.has(String(o.id));
              if (!seen) model.add(String(o.id), o.time);
              expect(ids.seenOrAdd(String(o.id), o.time)).toBe(seen);
            }
            expect(ids.size).toBe(model.size);
            expect(ids.size).toBeLessThanOrEqual(capacity);
            for (let id = 0; id <= 40; id++) expect(ids.has(String(id))).toBe(model.has(String(id)));
          }
          const { keys, times } = ids.snapshot();
          expect({ keys, times }).toEqual(model.snapshot());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('resumes from a JSON round-tripped snapshot', () => {
    const ids = new RecentIds({ capacity: 3, horizonMs: 100 });
    ids.add('1', 0);
    ids.add('2', 10);
    ids.add('3', 20);
    ids.add('4', 30);
    ids.advance(115);
    const copy = new RecentIds({ capacity: 3, horizonMs: 100 });
    copy.restore(JSON.parse(JSON.stringify(ids.snapshot())));
    expect(['1', '2', '3', '4'].map((id) => copy.has(id))).toEqual([false, false, true, true]);
    expect(copy.size).toBe(ids.size);
  });

  it('hashes ids to distinct, non-zero safe integers', () => {
    const hashes = new Set<number>();
    let bad = 0;
    for (let i = 0; i < 100_000; i++) {
      const h = idHash(`18${String(i).padStart(17, '0')}`);
      if (!(Number.isSafeInteger(h) && h > 0)) bad++;
      hashes.add(h);
    }
    expect(bad).toBe(0);
    expect(hashes.size).toBe(100_000);
  });
});
