/**
 * A wall-clock schedule for a paced source: the n-th item is due `n / rate` seconds after the start.
 * Counting what is due from the clock (not from the number of timer ticks) matters: a timer that
 * fires a few ms late on every tick (a busy event loop, a shared CPU) would otherwise lose those ms
 * for good, and a source asked for 5,000/s quietly ran at 4,700/s. Late ticks now catch up (a burst
 * at most `maxBurst` per tick). While the sink holds the source back, what falls due is not owed
 * later: it is counted as held back, so the shortfall is visible instead of a burst after an outage.
 *
 * Pure: time comes in as arguments. Cost: O(1) per call, no allocation.
 */

export interface Pace {
  /** Target items per second. */
  readonly rate: number;
  /** Items emitted so far. */
  readonly emitted: number;
  /** Items due by the clock but not emitted yet (the source or the CPU is too slow). */
  readonly behind: number;
  /** Items that fell due while the sink held the source back (never emitted; the schedule slipped). */
  readonly heldBack: number;
  /** Time since the start of the schedule, ms. */
  readonly elapsedMs: number;
}

export interface Pacer {
  /** How many items to emit now (at most `maxBurst`). Call `emitted(n)` with what was emitted. */
  due(now: number): number;
  emitted(count: number): void;
  /** The sink is not ready: whatever is due now slips instead of being owed. */
  holdBack(now: number): void;
  pace(now: number): Pace;
}

export function createPacer({
  rate,
  start,
  maxBurst = Number.POSITIVE_INFINITY,
}: {
  readonly rate: number;
  readonly start: number;
  readonly maxBurst?: number;
}): Pacer {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`pacer rate must be > 0, got ${rate}`);
  let emitted = 0;
  let heldBack = 0;
  // The small epsilon keeps 0.1 * 30 from flooring to 2.
  const scheduled = (now: number): number => Math.floor((rate * Math.max(0, now - start)) / 1000 + 1e-9);
  const owed = (now: number): number => Math.max(0, scheduled(now) - emitted - heldBack);
  return {
    due: (now) => Math.min(owed(now), maxBurst),
    emitted(count) {
      emitted += count;
    },
    holdBack(now) {
      heldBack += owed(now);
    },
    pace: (now) => ({ rate, emitted, behind: owed(now), heldBack, elapsedMs: Math.max(0, now - start) }),
  };
}
