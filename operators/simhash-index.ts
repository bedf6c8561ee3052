/** A bounded, banded index over recent SimHashes: near-duplicate lookups without pairwise scans. */
import type { SimHash } from './simhash.js';

export interface SimHashIndexOptions {
  /** Most hashes held at once (the count bound). */
  readonly capacity: number;
  /** Hashes older than this, behind the latest event time seen, no longer match (the time bound). */
  readonly horizonMs: number;
  /** Largest Hamming distance that counts as a near duplicate: 0..3 (four 16-bit bands). */
  readonly maxDistance: number;
  /**
   * Candidates remembered per band bucket (default 8), the most recent ones: texts on one topic
   * share many SimHash bits, so some band values are very common; copy-paste spam arrives close
   * together and is still among the recent ones, and the cap keeps every lookup at 4 x this.
   */
  readonly perBucket?: number;
}

export interface SimHashIndexSnapshot {
  readonly latest: number | null;
  /** Arrays from snapshot(); typed arrays hold them as well (see RecentIdsSnapshot). */
  readonly his: ArrayLike<number>;
  readonly los: ArrayLike<number>;
  readonly times: ArrayLike<number>;
  readonly ids: readonly string[];
}

// popcount32 of simhash.ts, kept local: this runs up to 64 times per lookup, and a call into another
// module goes through an export getter when the code runs under tsx.
function bits(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

const BANDS = 4;
const RECORD = 4;
const SEQ = 0;
const TIME = 1;
const HI = 2;
const LO = 3;
// Bucket entries name their ring entry by a tag: 1 + its sequence number modulo 2^30; 0 is empty.
const TAG_MOD = 2 ** 30;

/**
 * A ring of recent SimHashes (seq, time, hash, id) plus, per band, a table of buckets holding the
 * most recent entries whose 16-bit band falls there. Any two hashes within distance 3 share at
 * least one band exactly (pigeonhole), so a lookup reads four buckets and confirms candidates in
 * the ring.
 *
 * Bucket layout (Int32Array, one bucket = perBucket x 2 words, 64 bytes at the default 8 — one or
 * two cache lines, always adjacent): entry k is [fingerprint, tag]. The fingerprint is the 32-bit
 * half of the hash the band is not in: a candidate further than the distance on that half alone is
 * skipped without leaving the bucket. The tag is 1 + the ring sequence number mod 2^30 (0 = empty):
 * the ring entry it names is read only for a candidate that passes, and counts only while it is
 * still that same entry (sequence numbers are never reused), live, and within the distance on all
 * 64 bits. A per-bucket cursor overwrites the oldest entry. Memory is fixed at construction:
 * 32 bytes per ring slot (+ the id string) and 4 x buckets x perBucket x 8 bytes, plus 2 bytes per
 * bucket of cursors (17 MB at the dedupe defaults).
 */
export class SimHashIndex {
  private readonly capacity: number;
  private readonly horizonMs: number;
  private readonly maxDistance: number;
  private readonly perBucket: number;
  private readonly bucketMask: number;
  private readonly records: Float64Array;
  private readonly ids: (string | null)[];
  private readonly entries: Int32Array;
  private readonly cursors: Uint16Array;
  // findOrInsert's bucket offsets, then the words it read ahead (kept so the reads stay in the code).
  private readonly bases = new Int32Array(2 * BANDS);
  private head = 0;
  private tail = 0;
  private latest = Number.NEGATIVE_INFINITY;

  constructor(options: SimHashIndexOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1 || options.capacity >= TAG_MOD) {
      throw new RangeError('capacity must be 1..2^30-1');
    }
    if (!(options.maxDistance >= 0 && options.maxDistance <= 3))
      throw new RangeError('maxDistance must be 0..3');
    this.capacity = options.capacity;
    this.horizonMs = options.horizonMs;
    this.maxDistance = options.maxDistance;
    this.perBucket = Math.max(1, Math.min(1024, options.perBucket ?? 8));
    // Up to 2^16 buckets per band (one per band value); small indexes fold values together.
    let buckets = 16;
    while (buckets < 65536 && buckets < this.capacity) buckets *= 2;
    this.bucketMask = buckets - 1;
    this.records = new Float64Array(this.capacity * RECORD);
    for (let slot = 0; slot < this.capacity; slot++) this.records[slot * RECORD + SEQ] = -1;
    this.ids = new Array<string | null>(this.capacity).fill(null);
    this.entries = new Int32Array(BANDS * buckets * this.perBucket * 2);
    this.cursors = new Uint16Array(BANDS * buckets);
  }

  /** Entries currently held (never more than the capacity). */
  get size(): number {
    return this.head - this.tail;
  }

  /**
   * Returns the id of a held hash within the distance of `hash` (and within the horizon), or null
   * after inserting `hash` under `id`.
   */
  findOrInsert(hash: SimHash, eventTime: number, id: string): string | null {
    if (eventTime > this.latest) this.latest = eventTime;
    const oldest = this.latest - this.horizonMs;
    this.expire(oldest);
    const hi = hash.hi | 0;
    const lo = hash.lo | 0;
    const headTag = this.head % TAG_MOD;
    // The four buckets lie megabytes apart, a cache miss each. Reading a word of every one before
    // scanning any puts the four misses in flight together instead of one after another: 0.2 µs of
    // dedupe's ~2 µs per envelope (A/B over 1M envelopes; the bases alone, without reads, gain nothing).
    const bases = this.bases;
    for (let band = 0; band < BANDS; band++) {
      const base = this.bucketOf(hash, band) * this.perBucket * 2;
      bases[band] = base;
      bases[BANDS + band] = this.entries[base + 1]!;
    }
    for (let band = 0; band < BANDS; band++) {
      const other = band < 2 ? hi : lo;
      const base = bases[band]!;
      const end = base + this.perBucket * 2;
      for (let k = base; k < end; k += 2) {
        if (bits(this.entries[k]! ^ other) > this.maxDistance) continue;
        const tag = this.entries[k + 1]!;
        if (tag === 0) continue;
        const seq = this.head - ((headTag - tag + 1) & (TAG_MOD - 1));
        const slot = seq % this.capacity;
        const at = slot * RECORD;
        if (this.records[at + SEQ] !== seq) continue;
        const distance = bits(this.records[at + HI]! ^ hi) + bits(this.records[at + LO]! ^ lo);
        if (distance <= this.maxDistance && this.records[at + TIME]! >= oldest) return this.ids[slot]!;
      }
    }
    this.insert(hash, eventTime, id);
    return null;
  }

  /** The held hashes oldest first, with ids, times and the time bound: JSON-serialisable. */
  snapshot(): SimHashIndexSnapshot {
    const out = {
      latest: Number.isFinite(this.latest) ? this.latest : null,
      his: [] as number[],
      los: [] as number[],
      times: [] as number[],
      ids: [] as string[],
    };
    for (let seq = this.tail; seq < this.head; seq++) {
      const slot = seq % this.capacity;
      const at = slot * RECORD;
      if (this.records[at + SEQ] !== seq) continue;
      out.his.push(this.records[at + HI]!);
      out.los.push(this.records[at + LO]!);
      out.times.push(this.records[at + TIME]!);
      out.ids.push(this.ids[slot]!);
    }
    return out;
  }

  /** Inserts a snapshot's hashes back in their order (into a fresh index); this index's bounds apply. */
  restore(snapshot: SimHashIndexSnapshot): void {
    for (let i = 0; i < snapshot.ids.length; i++) {
      const hash = { hi: snapshot.his[i]! >>> 0, lo: snapshot.los[i]! >>> 0, tokens: 0 };
      this.insert(hash, snapshot.times[i]!, snapshot.ids[i]!);
    }
    if (snapshot.latest !== null && snapshot.latest > this.latest) this.latest = snapshot.latest;
    this.expire(this.latest - this.horizonMs);
  }

  private bucketOf(hash: SimHash, band: number): number {
    const half = band < 2 ? hash.lo : hash.hi;
    const value = band % 2 === 0 ? half & 0xffff : half >>> 16;
    return band * (this.bucketMask + 1) + (value & this.bucketMask);
  }

  private insert(hash: SimHash, eventTime: number, id: string): void {
    if (this.size === this.capacity) this.evictTail();
    const seq = this.head++;
    const slot = seq % this.capacity;
    const at = slot * RECORD;
    this.records[at + SEQ] = seq;
    this.records[at + TIME] = eventTime;
    this.records[at + HI] = hash.hi >>> 0;
    this.records[at + LO] = hash.lo >>> 0;
    this.ids[slot] = id;
    const tag = (seq % TAG_MOD) + 1;
    for (let band = 0; band < BANDS; band++) {
      const bucket = this.bucketOf(hash, band);
      const cursor = this.cursors[bucket]!;
      this.cursors[bucket] = (cursor + 1) % this.perBucket;
      const k = (bucket * this.perBucket + cursor) * 2;
      this.entries[k] = band < 2 ? hash.hi | 0 : hash.lo | 0;
      this.entries[k + 1] = tag;
    }
  }

  // Drops entries from the oldest end while they are past the horizon (FIFO by arrival).
  private expire(oldest: number): void {
    while (this.tail < this.head && this.records[(this.tail % this.capacity) * RECORD + TIME]! < oldest) {
      this.evictTail();
    }
  }

  private evictTail(): void {
    const slot = this.tail % this.capacity;
    this.records[slot * RECORD + SEQ] = -1;
    this.ids[slot] = null;
    this.tail++;
  }
}
