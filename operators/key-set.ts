/**
 * A growable set of numeric keys (53-bit id hashes from recent-ids.ts idHash, never 0), for counting
 * distinct authors per bucket: a probe reads one slot of a flat array, where a Set of id strings
 * also reads the string it compares with, a cache miss of its own on a stream this size.
 */
const EMPTY = 0;

export class KeySet {
  private slots = new Float64Array(16);
  private mask = 15;
  private count = 0;

  /** Keys held. */
  get size(): number {
    return this.count;
  }

  /** Adds `key` (a non-zero integer below 2^53); false when it was there already. */
  add(key: number): boolean {
    const i = this.slotOf(key);
    if (this.slots[i] === key) return false;
    this.slots[i] = key;
    if (++this.count * 2 > this.slots.length) this.grow();
    return true;
  }

  has(key: number): boolean {
    return this.slots[this.slotOf(key)] === key;
  }

  /** The keys, in table order (deterministic for the same adds in the same order). */
  keys(): number[] {
    const out: number[] = [];
    for (const k of this.slots) if (k !== EMPTY) out.push(k);
    return out;
  }

  // The slot holding `key`, else the empty slot where it would go (linear probing from its low bits).
  private slotOf(key: number): number {
    let i = key & this.mask;
    while (this.slots[i] !== EMPTY && this.slots[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  // Doubles the table and re-inserts every key (load stays at most one half).
  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (const key of old) if (key !== EMPTY) this.slots[this.slotOf(key)] = key;
  }
}
