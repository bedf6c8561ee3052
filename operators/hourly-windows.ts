import {
  type Accumulator,
  accumulatorOf,
  MICRO,
  newAccumulator,
  type OpenBucketSnapshot,
  openBucketOf,
  toBucket,
} from './bucket-accumulator.js';
import { idHash } from './recent-ids.js';
import { dropped } from './tally-drops.js';
import type { Bucket, Dropped, ScoredTweet } from './types.js';

export type { OpenBucketSnapshot } from './bucket-accumulator.js';

export const HOUR_MS = 3_600_000;

/** A control item for the window: move the watermark to `time` (event time, epoch ms) now. */
export interface WatermarkAdvance {
  readonly kind: 'watermark';
  readonly time: number;
}

/**
 * An item of one of the window's sources (`WindowOptions.sources`, e.g. Kafka partitions): a tweet, or
 * that source's watermark moving on (its dropped inputs still tell the time).
 */
export interface FromSource {
  readonly kind: 'from-source';
  readonly source: string | number;
  readonly item: ScoredTweet | WatermarkAdvance;
}

export interface WindowOptions {
  /** How far behind the latest event time a tweet may still arrive in order (watermark lag). */
  readonly maxOutOfOrdernessMs?: number;
  /** How long after the watermark passes a bucket's end the bucket still waits before closing. */
  readonly allowedLatenessMs?: number;
  /** Scores in [-neutralBand, neutralBand] count as neutral; above positive, below negative. */
  readonly neutralBand?: number;
  /**
   * Watermark to start from after a restart (e.g. the last closed bucket's end + allowedLateness):
   * buckets closed before the crash are not emitted again, and their tweets drop as
   * `closed_before_resume` rather than `late`.
   */
  readonly initialWatermark?: number;
  /**
   * Distinct authors are counted exactly up to this many per bucket (as 53-bit hashes of their ids: two
   * authors count as one with probability below 1e-6 at 100,000); beyond, new ids are counted without
   * being stored.
   */
  readonly maxAuthorsPerBucket?: number;
  /**
   * Input sources (e.g. Kafka partitions) with a watermark each; buckets close at their minimum, and a
   * tweet is late when its own source's watermark has passed its bucket's close (not the minimum: that
   * would depend on how far the other sources had been read). So the output does not depend on how
   * sources were interleaved, only on each source's order. Unset: one source.
   */
  readonly sources?: readonly (string | number)[];
}

export const DEFAULT_WINDOW_OPTIONS: Required<WindowOptions> = {
  maxOutOfOrdernessMs: 5 * 60_000,
  allowedLatenessMs: 5 * 60_000,
  neutralBand: 0.05,
  initialWatermark: Number.NEGATIVE_INFINITY,
  maxAuthorsPerBucket: 100_000,
  sources: [],
};

/** The plain state machine behind {@link windowByHour}: one instance per subscription. */
export interface HourlyWindows {
  /**
   * Feeds one item from `source` (required when `sources` is set); returns what it closes or
   * rejects, in emission order. A WatermarkAdvance without a source advances every source.
   */
  step(item: ScoredTweet | WatermarkAdvance, source?: string | number): readonly (Bucket | Dropped)[];
  /** Closes every open bucket (end of a replay), in order. */
  flush(): readonly Bucket[];
  /** Everything needed to resume exactly here: JSON-serialisable, exact (sums in micro-units). */
  snapshot(): WindowSnapshot;
  /** The minimum of the sources' watermarks. */
  readonly watermark: number;
  /** Open buckets held. */
  readonly openBuckets: number;
}

export interface WindowSnapshot {
  readonly version: 1;
  /** Watermark per source; null when a source has none yet. */
  readonly watermarks: Readonly<Record<string, number | null>>;
  readonly buckets: readonly OpenBucketSnapshot[];
}

const NONE: readonly (Bucket | Dropped)[] = [];
const SINGLE = '';

export function createHourlyWindows(options?: WindowOptions, from?: WindowSnapshot): HourlyWindows {
  const o = { ...DEFAULT_WINDOW_OPTIONS, ...options };
  const keys = o.sources.length === 0 ? [SINGLE] : o.sources.map(String);
  const restored =
    from === undefined ? [] : keys.map((k) => from.watermarks[k]).filter((w) => typeof w === 'number');
  const fromSnapshot = restored.length > 0 ? Math.min(...restored) : Number.NEGATIVE_INFINITY;
  // A source the snapshot names without a watermark had no input yet (e.g. a partition another group
  // member held): no bucket closed on its account, so it starts with none. Only a source the snapshot
  // does not name at all (one added since) starts at the others' minimum.
  const sourceMarks = new Map(
    keys.map((k) => {
      const saved = from?.watermarks[k];
      return [k, saved === null ? o.initialWatermark : Math.max(o.initialWatermark, saved ?? fromSnapshot)];
    }),
  );
  let watermark = Math.min(...sourceMarks.values());
  // Tweets for buckets closed before this run started drop as closed_before_resume, not late.
  const resumedAt = watermark;
  let nextClose = Number.POSITIVE_INFINITY;
  let open = 0;
  const byStart = new Map<number, Map<string, Accumulator>>();
  for (const b of from?.buckets ?? []) {
    const { symbol, start } = b;
    let symbols = byStart.get(start);
    if (symbols === undefined) {
      symbols = new Map();
      byStart.set(start, symbols);
    }
    symbols.set(symbol, accumulatorOf(b));
    open++;
    nextClose = Math.min(nextClose, start + HOUR_MS + o.allowedLatenessMs);
  }

  const closeUpTo = (limit: number): Bucket[] => {
    const out: Bucket[] = [];
    const starts = [...byStart.keys()].sort((a, b) => a - b);
    nextClose = Number.POSITIVE_INFINITY;
    for (const start of starts) {
      if (start + HOUR_MS + o.allowedLatenessMs > limit) {
        nextClose = start + HOUR_MS + o.allowedLatenessMs;
        break;
      }
      const symbols = byStart.get(start)!;
      for (const symbol of [...symbols.keys()].sort())
        out.push(toBucket(symbol, start, symbols.get(symbol)!));
      open -= symbols.size;
      byStart.delete(start);
    }
    return out;
  };

  // Raises one source's watermark (or all, for source null) and closes what the new minimum allows.
  const advance = (time: number, source: string | null): readonly Bucket[] => {
    if (source === null) {
      for (const [k, w] of sourceMarks) if (time > w) sourceMarks.set(k, time);
    } else {
      const current = sourceMarks.get(source);
      if (current === undefined) throw new RangeError(`unknown window source ${source}`);
      if (time <= current) return NONE as readonly Bucket[];
      sourceMarks.set(source, time);
    }
    const next = sourceMarks.size === 1 ? time : Math.min(...sourceMarks.values());
    if (next <= watermark) return NONE as readonly Bucket[];
    watermark = next;
    return watermark >= nextClose ? closeUpTo(watermark) : (NONE as readonly Bucket[]);
  };

  // Late by its own source's watermark, which is at or above the minimum the buckets close at: so a
  // tweet never enters a closed bucket, and whether it is late depends on its source's order alone.
  const add = (tweet: ScoredTweet, source: string): Dropped | null => {
    const start = Math.floor(tweet.createdAt / HOUR_MS) * HOUR_MS;
    const closesAt = start + HOUR_MS + o.allowedLatenessMs;
    const own = sourceMarks.get(source);
    if (own === undefined) throw new RangeError(`unknown window source ${source}`);
    if (closesAt <= own) {
      const reason = closesAt <= resumedAt ? 'closed_before_resume' : 'late';
      return dropped('window', reason, `bucket ${start} closed`, tweet.id, tweet.createdAt);
    }
    let symbols = byStart.get(start);
    if (symbols === undefined) {
      symbols = new Map();
      byStart.set(start, symbols);
      if (closesAt < nextClose) nextClose = closesAt;
    }
    const score = Math.round(tweet.score * MICRO);
    const weight = Math.round(tweet.weight * MICRO);
    const weighted = Math.round(tweet.score * tweet.weight * MICRO);
    const sign = tweet.score > o.neutralBand ? 1 : tweet.score < -o.neutralBand ? -1 : 0;
    const author = idHash(tweet.authorId);
    for (const symbol of tweet.symbols) {
      let acc = symbols.get(symbol);
      if (acc === undefined) {
        acc = newAccumulator(tweet.createdAt);
        symbols.set(symbol, acc);
        open++;
      }
      acc.count++;
      acc.score += score;
      acc.weight += weight;
      acc.weighted += weighted;
      if (sign > 0) acc.positive++;
      else if (sign < 0) acc.negative++;
      else acc.neutral++;
      // Below the cap an add of a known author is a no-op: one probe of the set instead of two.
      if (acc.authors.size < o.maxAuthorsPerBucket) acc.authors.add(author);
      else if (!acc.authors.has(author)) acc.extraAuthors++;
      if (tweet.createdAt < acc.first) acc.first = tweet.createdAt;
      if (tweet.createdAt > acc.last) acc.last = tweet.createdAt;
    }
    return null;
  };

  const sourceKey = (source: string | number | undefined): string | null => {
    if (o.sources.length === 0) return SINGLE;
    return source === undefined ? null : String(source);
  };
  return {
    step(item, source) {
      const key = sourceKey(source);
      if (item.kind === 'watermark') return advance(item.time, key);
      if (key === null) throw new RangeError('a tweet needs its source when the window has several');
      const late = add(item, key);
      if (late !== null) return [late];
      return advance(item.createdAt - o.maxOutOfOrdernessMs, key);
    },
    flush: () => closeUpTo(Number.POSITIVE_INFINITY),
    snapshot: () => ({
      version: 1,
      watermarks: Object.fromEntries([...sourceMarks].map(([k, w]) => [k, Number.isFinite(w) ? w : null])),
      buckets: [...byStart].flatMap(([start, symbols]) =>
        [...symbols].map(([symbol, a]) => openBucketOf(symbol, start, a)),
      ),
    }),
    get watermark() {
      return watermark;
    },
    get openBuckets() {
      return open;
    },
  };
}
