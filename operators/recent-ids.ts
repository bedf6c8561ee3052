export interface RecentIdsSnapshot {
  readonly latest: number | null;
  readonly ids: readonly string[];
  readonly times: readonly number[];
}

/**
 * A set of recently seen ids, bounded by count (a ring) and by event time (a horizon behind the
 * latest time seen). Plain code for the dedupe operator.
 */
export class RecentIds {
  private readonly capacity: number;
  private readonly horizonMs: number;
  private readonly ring: (string | null)[];
  private readonly times: Float64Array;
  private readonly seqById = new Map<string, number>();
  private head = 0;
  private tail = 0;
  private latest = Number.NEGATIVE_INFINITY;

  constructor(options: { readonly capacity: number; readonly horizonMs: number }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1)
      throw new RangeError('capacity must be >= 1');
    this.capacity = options.capacity;
    this.horizonMs = options.horizonMs;
    this.ring = new Array<string | null>(this.capacity).fill(null);
    this.times = new Float64Array(this.capacity);
  }

  /** Ids currently held (never more than the capacity). */
  get size(): number {
    return this.seqById.size;
  }

  /** Moves the time bound forward and forgets ids that fell behind it. */
  advance(eventTime: number): void {
    if (eventTime <= this.latest) return;
    this.latest = eventTime;
    const oldest = eventTime - this.horizonMs;
    while (this.tail < this.head && this.times[this.tail % this.capacity]! < oldest) this.evictTail();
  }

  /** True when `id` was added within the horizon. */
  has(id: string): boolean {
    const seq = this.seqById.get(id);
    return seq !== undefined && this.times[seq % this.capacity]! >= this.latest - this.horizonMs;
  }

  add(id: string, eventTime: number): void {
    if (this.head - this.tail === this.capacity) this.evictTail();
    const seq = this.head++;
    const slot = seq % this.capacity;
    this.ring[slot] = id;
    this.times[slot] = eventTime;
    this.seqById.set(id, seq);
  }

  /** The held ids oldest first, with their times and the time bound: JSON-serialisable. */
  snapshot(): RecentIdsSnapshot {
    const ids: string[] = [];
    const times: number[] = [];
    for (let seq = this.tail; seq < this.head; seq++) {
      const slot = seq % this.capacity;
      const id = this.ring[slot];
      if (id === null || id === undefined || this.seqById.get(id) !== seq) continue;
      ids.push(id);
      times.push(this.times[slot]!);
    }
    return { latest: Number.isFinite(this.latest) ? this.latest : null, ids, times };
  }

  /** Adds a snapshot's ids back in their order (to a fresh set); the bounds of this set apply. */
  restore(snapshot: RecentIdsSnapshot): void {
    snapshot.ids.forEach((id, i) => {
      this.add(id, snapshot.times[i] ?? 0);
    });
    if (snapshot.latest !== null) this.advance(snapshot.latest);
  }

  private evictTail(): void {
    const slot = this.tail % this.capacity;
    const id = this.ring[slot];
    // Only forget the id if it was not added again later (a re-add after its time ran out).
    if (id !== null && id !== undefined && this.seqById.get(id) === this.tail) this.seqById.delete(id);
    this.ring[slot] = null;
    this.tail++;
  }
}
