/**
 * Lateness decided by the tweet's own source partition. The window closes a bucket at the minimum of
 * the sources' watermarks, so whether a tweet still finds its bucket open would depend on how far the
 * *other* partitions had been read when it arrived — that is, on consumer interleaving. Deciding instead
 * "late iff its bucket's close time is at or below its own partition's watermark" depends on that
 * partition's order alone, and it never admits a tweet into a closed bucket (the minimum is at or
 * below every source's watermark). The single process and the split stages both use it, so they keep
 * the same tweets.
 */
import { type Dropped, HOUR_MS, type HourlyWindows, type ScoredTweet } from '../../operators/index.js';

export interface OwnLateness {
  /** Mirrors a watermark advance of one source (or of all, for source null), bound already applied. */
  advance(source: number | null, time: number): void;
  /** The window drop for a tweet whose bucket its own source already closed, else null. */
  check(tweet: ScoredTweet, source: number): Dropped | null;
}

/** Starts from the window's own per-source watermarks, so both stay equal as they advance together. */
export function createOwnLateness(windows: HourlyWindows, allowedLatenessMs: number): OwnLateness {
  const marks = new Map<string, number>(
    Object.entries(windows.snapshot().watermarks).map(([k, w]) => [k, w ?? Number.NEGATIVE_INFINITY]),
  );
  const resumedAt = windows.watermark;
  return {
    advance(source, time) {
      if (source === null) {
        for (const [k, w] of marks) if (time > w) marks.set(k, time);
        return;
      }
      const key = String(source);
      if (time > (marks.get(key) ?? Number.NEGATIVE_INFINITY)) marks.set(key, time);
    },
    check(tweet, source) {
      const start = Math.floor(tweet.createdAt / HOUR_MS) * HOUR_MS;
      const closesAt = start + HOUR_MS + allowedLatenessMs;
      if (closesAt > (marks.get(String(source)) ?? Number.NEGATIVE_INFINITY)) return null;
      return {
        kind: 'dropped',
        stage: 'window',
        reason: closesAt <= resumedAt ? 'closed_before_resume' : 'late',
        detail: `bucket ${start} closed`,
        tweetId: tweet.id,
        eventTime: tweet.createdAt,
      };
    },
  };
}
