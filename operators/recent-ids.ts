/**
 * A set of recently seen ids, bounded by count (a ring) and by event time (a horizon behind the
 * latest time seen). Plain code for the dedupe operator.
 *
 * Ids are kept as 53-bit hashes in an open-addressing table inside typed arrays, not as strings in
 * a Map: memory is allocated once (about 48 bytes per id of capacity) and the garbage collector
 * never has to walk it, so memory stays flat on an endless stream. The price is a false "seen"
 * with probability about size / 2^53 per lookup (5.5e-11 at 500,000 ids).
 */
export interface RecentIdsSnapshot {
  readonly latest: number | null;
  /** 53-bit id hashes, oldest first. */
  readonly keys: readonly number[];
  readonly times: readonly number[];
}

const EMPTY = 0;

/** A 53-bit hash of a string (never 0), from two independent 32-bit lanes. */
export function idHash(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  return ((a >>> 11) & 0x1fffff) * 4294967296 + (b >>> 0) + 1;
}

export class RecentIds {
  private readonly capacity: number;
  private readonly horizonMs: number;
  // The ring, oldest at tail: key and time per arrival.
  private readonly ringKeys: Float64Array;
  private readonly ringTimes: Float64Array;
  // The table: key -> arrival sequence number (linear probing, backward-shift deletion).
  private readonly keys: Float64Array;
  private readonly seqs: Float64Array;
  private readonly mask: number;
  private count = 0;
  private head = 0;
  private tail = 0;
  private latest = Number.NEGATIVE_INFINITY;

  constructor(options: { readonly capacity: number; readonly horizonMs: number }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1)
      throw new RangeError('capacity must be >= 1');
    this.capacity = options.capacity;
    this.horizonMs = options.horizonMs;
    this.ringKeys = new Float64Array(this.capacity);
    this.ringTimes = new Float64Array(this.capacity);
    let size = 2;
    while (size < this.capacity * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.seqs = new Float64Array(size);
    this.mask = size - 1;
  }

  /** Ids currently held (never more than the capacity). */
  get size(): number {
    return this.count;
  }

  /** Moves the time bound forward and forgets ids that fell behind it. */
  advance(eventTime: number): void {
    if (eventTime <= this.latest) return;
    this.latest = eventTime;
    const oldest = eventTime - this.horizonMs;
    while (this.tail < this.head && this.ringTimes[this.tail % this.capacity]! < oldest) this.evictTail();
  }

  /** True when `id` was added within the horizon. */
  has(id: string): boolean {
    const seq = this.find(idHash(id));
    return seq >= 0 && this.ringTimes[seq % this.capacity]! >= this.latest - this.horizonMs;
  }

  add(id: string, eventTime: number): void {
    this.addKey(idHash(id), eventTime);
  }

  /** The held ids (as hashes) oldest first, with their times and the time bound: JSON-serialisable. */
  snapshot(): RecentIdsSnapshot {
    const keys: number[] = [];
    const times: number[] = [];
    for (let seq = this.tail; seq < this.head; seq++) {
      const slot = seq % this.capacity;
      if (this.find(this.ringKeys[slot]!) !== seq) continue;
      keys.push(this.ringKeys[slot]!);
      times.push(this.ringTimes[slot]!);
    }
    return { latest: Number.isFinite(this.latest) ? this.latest : null, keys, times };
  }

  /** Adds a snapshot's ids back in their order (to a fresh set); the bounds of this set apply. */
  restore(snapshot: RecentIdsSnapshot): void {
    snapshot.keys.forEach((key, i) => {
      this.addKey(key, snapshot.times[i] ?? 0);
    });
    if (snapshot.latest !== null) this.advance(snapshot.latest);
  }

  private addKey(key: number, eventTime: number): void {
    if (this.head - this.tail === this.capacity) this.evictTail();
    const seq = this.head++;
    const slot = seq % this.capacity;
    this.ringKeys[slot] = key;
    this.ringTimes[slot] = eventTime;
    let i = this.home(key);
    while (this.keys[i] !== EMPTY && this.keys[i] !== key) i = (i + 1) & this.mask;
    if (this.keys[i] === EMPTY) this.count++;
    this.keys[i] = key;
    this.seqs[i] = seq;
  }

  private find(key: number): number {
    for (let i = this.home(key); this.keys[i] !== EMPTY; i = (i + 1) & this.mask) {
      if (this.keys[i] === key) return this.seqs[i]!;
    }
    return -1;
  }

  private home(key: number): number {
    return (key % 4294967296) & this.mask;
  }

  private evictTail(): void {
    const seq = this.tail++;
    const key = this.ringKeys[seq % this.capacity]!;
    let i = this.home(key);
    while (this.keys[i] !== EMPTY && this.keys[i] !== key) i = (i + 1) & this.mask;
    // Only forget the id if it was not added again later (a re-add after its time ran out).
    if (this.keys[i] !== key || this.seqs[i] !== seq) return;
    this.count--;
    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    let hole = i;
    for (let j = (i + 1) & this.mask; this.keys[j] !== EMPTY; j = (j + 1) & this.mask) {
      const want = this.home(this.keys[j]!);
      const movable = hole <= j ? want <= hole || want > j : want <= hole && want > j;
      if (movable) {
        this.keys[hole] = this.keys[j]!;
        this.seqs[hole] = this.seqs[j]!;
        hole = j;
      }
    }
    this.keys[hole] = EMPTY;
    this.seqs[hole] = 0;
  }
}
