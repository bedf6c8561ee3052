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
  /**
   * 53-bit id hashes, oldest first. snapshot() gives arrays; a typed array holds them as well (score
   * threads hand snapshots over that way, without a copy).
   */
  readonly keys: ArrayLike<number>;
  readonly times: ArrayLike<number>;
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
  // The table: key -> arrival sequence number (linear probing, backward-shift deletion), as
  // (key, seq) pairs side by side so that a probe and its sequence number share a cache line.
  private readonly table: Float64Array;
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
    this.table = new Float64Array(2 * size);
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
    return this.hasKey(idHash(id));
  }

  add(id: string, eventTime: number): void {
    this.addKey(idHash(id), eventTime);
  }

  /** `has(id)`, and when false, `add(id, eventTime)`: the id is hashed once. */
  seenOrAdd(id: string, eventTime: number): boolean {
    const key = idHash(id);
    if (this.hasKey(key)) return true;
    this.addKey(key, eventTime);
    return false;
  }

  private hasKey(key: number): boolean {
    const seq = this.find(key);
    return seq >= 0 && this.ringTimes[seq % this.capacity]! >= this.latest - this.horizonMs;
  }

  /** The held ids (as hashes) oldest first, with their times and the time bound: JSON-serialisable. */
  snapshot(): RecentIdsSnapshot {
    const keys: number[] = [];
    const times: number[] = [];
    for (let seq = this.tail; seq < this.head; seq++) {
      const slot = seq % this.capacity;
      const key = this.ringKeys[slot]!;
      // EMPTY: the id was added again later (see addKey); its newer arrival is the one that counts.
      if (key === EMPTY) continue;
      keys.push(key);
      times.push(this.ringTimes[slot]!);
    }
    return { latest: Number.isFinite(this.latest) ? this.latest : null, keys, times };
  }

  /** Adds a snapshot's ids back in their order (to a fresh set); the bounds of this set apply. */
  restore(snapshot: RecentIdsSnapshot): void {
    for (let i = 0; i < snapshot.keys.length; i++) this.addKey(snapshot.keys[i]!, snapshot.times[i] ?? 0);
    if (snapshot.latest !== null) this.advance(snapshot.latest);
  }

  private addKey(key: number, eventTime: number): void {
    if (this.head - this.tail === this.capacity) this.evictTail();
    const seq = this.head++;
    const slot = seq % this.capacity;
    this.ringKeys[slot] = key;
    this.ringTimes[slot] = eventTime;
    const t = this.table;
    let i = this.home(key);
    while (t[2 * i] !== EMPTY && t[2 * i] !== key) i = (i + 1) & this.mask;
    if (t[2 * i] === EMPTY) this.count++;
    else {
      // Added again (after its time ran out): the earlier arrival in the ring no longer stands for
      // the id. Marked there, so that snapshot() and evictTail() need no lookup to tell.
      const earlier = t[2 * i + 1]!;
      if (earlier >= this.tail) this.ringKeys[earlier % this.capacity] = EMPTY;
    }
    t[2 * i] = key;
    t[2 * i + 1] = seq;
  }

  private find(key: number): number {
    const t = this.table;
    for (let i = this.home(key); t[2 * i] !== EMPTY; i = (i + 1) & this.mask) {
      if (t[2 * i] === key) return t[2 * i + 1]!;
    }
    return -1;
  }

  // The low bits of the key: `&` takes a number modulo 2^32 (keys are integers below 2^53), no float division.
  private home(key: number): number {
    return key & this.mask;
  }

  private evictTail(): void {
    const seq = this.tail++;
    const key = this.ringKeys[seq % this.capacity]!;
    if (key === EMPTY) return;
    const t = this.table;
    let i = this.home(key);
    while (t[2 * i] !== EMPTY && t[2 * i] !== key) i = (i + 1) & this.mask;
    // An arrival superseded by a re-add was marked EMPTY (addKey) and returned above, so the id is
    // here with this seq; checked all the same, as deleting another slot would break probe chains.
    if (t[2 * i] !== key || t[2 * i + 1] !== seq) return;
    this.count--;
    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    let hole = i;
    for (let j = (i + 1) & this.mask; t[2 * j] !== EMPTY; j = (j + 1) & this.mask) {
      const want = this.home(t[2 * j]!);
      const movable = hole <= j ? want <= hole || want > j : want <= hole && want > j;
      if (movable) {
        t[2 * hole] = t[2 * j]!;
        t[2 * hole + 1] = t[2 * j + 1]!;
        hole = j;
      }
    }
    t[2 * hole] = EMPTY;
    t[2 * hole + 1] = 0;
  }
}
