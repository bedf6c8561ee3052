/**
 * Where the Jetstream source resumes, and what it must not write twice. Jetstream replays from a cursor
 * (time_us); hosts stamp events with their own receive time, so after a reconnect, a failover or a
 * restart the source asks for `cursor - margin` and gets a few seconds again. The window remembers the
 * post ids (at:// URIs) it emitted during the last `margin` of time_us and drops those repeats; it travels in the
 * checkpoint, so a restart drops them too. Bounded: at most `maxKeys` keys (the oldest go first).
 *
 * Checkpoint value (ingest.state, key `bluesky`): {"v":1,"cursor":<time_us>,"recent":[[key,time_us],...]}.
 */

export const BLUESKY_STATE_KEY = 'bluesky';
export const DEFAULT_CURSOR_MARGIN_MS = 5_000;
export const DEFAULT_RECENT_KEYS = 10_000;

export interface CursorState {
  readonly cursor: number;
  readonly recent: readonly (readonly [string, number])[];
}

/** Reads a stored checkpoint; anything unreadable is refused in one place (caller decides). */
export function parseCursorState(text: string): CursorState {
  const parsed = JSON.parse(text) as { v?: unknown; cursor?: unknown; recent?: unknown };
  if (parsed.v !== 1) throw new RangeError(`unknown bluesky checkpoint version ${String(parsed.v)}`);
  if (typeof parsed.cursor !== 'number' || !Number.isSafeInteger(parsed.cursor)) {
    throw new RangeError('bluesky checkpoint has no cursor');
  }
  const recent = Array.isArray(parsed.recent)
    ? parsed.recent.filter(
        (r): r is [string, number] =>
          Array.isArray(r) && typeof r[0] === 'string' && typeof r[1] === 'number',
      )
    : [];
  return { cursor: parsed.cursor, recent };
}

export class ResumeWindow {
  private cursorUs: number | null;
  /** Keys in the order they were emitted, beside their time_us (parallel arrays: no pair per post). */
  private keyQueue: string[] = [];
  private timeQueue: number[] = [];
  private head = 0;
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly marginUs: number,
    private readonly maxKeys = DEFAULT_RECENT_KEYS,
    initial?: CursorState,
  ) {
    this.cursorUs = initial?.cursor ?? null;
    for (const [key, timeUs] of initial?.recent ?? []) this.remember(key, timeUs);
  }

  get cursor(): number | null {
    return this.cursorUs;
  }

  /** The cursor to connect with: the newest time_us seen minus the margin (null: live from now). */
  resumeCursor(): number | null {
    return this.cursorUs === null ? null : Math.max(0, this.cursorUs - this.marginUs);
  }

  /** True when `key` was already emitted within the window (a repeat the margin brought). */
  seen(key: string): boolean {
    return this.keys.has(key);
  }

  /** Notes an emitted envelope. */
  remember(key: string, timeUs: number): void {
    this.keys.set(key, timeUs);
    this.keyQueue.push(key);
    this.timeQueue.push(timeUs);
    this.evict();
  }

  /** Moves the cursor to an event's time_us (never backwards: repeats are older). */
  advance(timeUs: number): void {
    if (this.cursorUs === null || timeUs > this.cursorUs) this.cursorUs = timeUs;
    this.evict();
  }

  /** The checkpoint value (null before any event). */
  serialize(): string | null {
    if (this.cursorUs === null) return null;
    const recent: [string, number][] = [];
    for (let i = this.head; i < this.keyQueue.length; i++) {
      const key = this.keyQueue[i]!;
      const timeUs = this.timeQueue[i]!;
      if (this.keys.get(key) === timeUs) recent.push([key, timeUs]);
    }
    return JSON.stringify({ v: 1, cursor: this.cursorUs, recent });
  }

  private evict(): void {
    const oldest = this.cursorUs === null ? Number.NEGATIVE_INFINITY : this.cursorUs - this.marginUs;
    const end = this.keyQueue.length;
    while (this.head < end) {
      const timeUs = this.timeQueue[this.head]!;
      if (timeUs >= oldest && end - this.head <= this.maxKeys) break;
      const key = this.keyQueue[this.head]!;
      if (this.keys.get(key) === timeUs) this.keys.delete(key);
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > end) {
      this.keyQueue = this.keyQueue.slice(this.head);
      this.timeQueue = this.timeQueue.slice(this.head);
      this.head = 0;
    }
  }
}
