/** A bounded, banded index over recent SimHashes: near-duplicate lookups without pairwise scans. */
import { popcount32, type SimHash } from './simhash.js';

export interface SimHashIndexOptions {
  /** Most hashes held at once (the count bound). */
  readonly capacity: number;
  /** Hashes older than this, behind the latest event time seen, no longer match (the time bound). */
  readonly horizonMs: number;
  /** Largest Hamming distance that counts as a near duplicate: 0..3 (four 16-bit bands). */
  readonly maxDistance: number;
  /**
   * Longest candidate chain followed per band (default 8), newest first: texts on one topic share
   * many SimHash bits, so band chains grow long; copy-paste spam arrives close together and is found
   * early, and the cap keeps lookups fast on any input.
   */
  readonly maxProbes?: number;
}

export interface SimHashIndexSnapshot {
  readonly latest: number | null;
  readonly his: readonly number[];
  readonly los: readonly number[];
  readonly times: readonly number[];
  readonly ids: readonly string[];
}

const BANDS = 4;
const BAND_VALUES = 1 << 16;
const RECORD = 8;
const SEQ = 0;
const TIME = 1;
const HI = 2;
const LO = 3;
const NEXT = 4;

/**
 * Ring buffer of recent SimHashes with four 16-bit band indexes (linked lists through the ring).
 * Any two hashes within distance 3 share at least one band exactly (pigeonhole), so a lookup only
 * visits entries sharing a band. Memory is fixed at construction: 2 MB of band heads + 64 bytes per slot (+ the id string).
 */
export class SimHashIndex {
  private readonly capacity: number;
  private readonly horizonMs: number;
  private readonly maxDistance: number;
  private readonly maxProbes: number;
  // One 64-byte record per slot (seq, time, hi, lo, next seq per band): a probe touches one cache line.
  private readonly records: Float64Array;
  private readonly ids: (string | null)[];
  private readonly heads: Float64Array;
  private head = 0;
  private tail = 0;
  private latest = Number.NEGATIVE_INFINITY;

  constructor(options: SimHashIndexOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError('capacity must be >= 1');
    }
    if (!(options.maxDistance >= 0 && options.maxDistance <= 3))
      throw new RangeError('maxDistance must be 0..3');
    this.capacity = options.capacity;
    this.horizonMs = options.horizonMs;
    this.maxDistance = options.maxDistance;
    this.maxProbes = options.maxProbes ?? 8;
    this.records = new Float64Array(this.capacity * RECORD);
    for (let slot = 0; slot < this.capacity; slot++) this.records[slot * RECORD + SEQ] = -1;
    this.ids = new Array<string | null>(this.capacity).fill(null);
    this.heads = new Float64Array(BAND_VALUES * BANDS).fill(-1);
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
    const r = this.records;
    for (let band = 0; band < BANDS; band++) {
      let seq = this.heads[band * BAND_VALUES + bandValue(hash, band)]!;
      for (let probes = 0; seq >= this.tail && probes < this.maxProbes; probes++) {
        const at = (seq % this.capacity) * RECORD;
        if (r[at + SEQ] !== seq) break;
        if (r[at + TIME]! >= oldest) {
          const distance =
            popcount32((r[at + HI]! ^ hash.hi) >>> 0) + popcount32((r[at + LO]! ^ hash.lo) >>> 0);
          if (distance <= this.maxDistance) return this.ids[seq % this.capacity]!;
        }
        seq = r[at + NEXT + band]!;
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

  private insert(hash: SimHash, eventTime: number, id: string): void {
    if (this.size === this.capacity) this.evictTail();
    const seq = this.head++;
    const slot = seq % this.capacity;
    const at = slot * RECORD;
    const r = this.records;
    r[at + SEQ] = seq;
    r[at + TIME] = eventTime;
    r[at + HI] = hash.hi >>> 0;
    r[at + LO] = hash.lo >>> 0;
    this.ids[slot] = id;
    for (let band = 0; band < BANDS; band++) {
      const key = band * BAND_VALUES + bandValue(hash, band);
      r[at + NEXT + band] = this.heads[key]!;
      this.heads[key] = seq;
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

function bandValue(hash: SimHash, band: number): number {
  const half = band < 2 ? hash.lo : hash.hi;
  return band % 2 === 0 ? half & 0xffff : half >>> 16;
}
