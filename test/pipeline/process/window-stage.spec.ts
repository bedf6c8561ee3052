import { describe, expect, it } from 'vitest';
import { createStrategy, HOUR_MS, type ScoredTweet } from '../../../operators/index.js';
import type { RepartitionItem } from '../../../pipeline/process/scored-records.js';
import { createWindowPartition } from '../../../pipeline/process/window-stage.js';

const H0 = Date.UTC(2026, 0, 1, 10);
const MIN = 60_000;
const window = { maxOutOfOrdernessMs: 5 * MIN, allowedLatenessMs: 5 * MIN };
const options = { sources: [0, 1], strategy: createStrategy('threshold', ''), window };

function record(
  source: number,
  offset: number,
  at: number,
  before: number | null,
  symbol = 'BTC',
): RepartitionItem {
  const tweet: ScoredTweet = {
    kind: 'scored',
    id: `t${source}-${offset}`,
    text: 'x',
    createdAt: at,
    authorId: `a${offset}`,
    authorUsername: null,
    authorFollowers: null,
    authorCreatedAt: null,
    lang: 'en',
    metrics: { retweets: 0, replies: 0, likes: 0, quotes: 0 },
    retweetOf: null,
    quoteOf: null,
    replyTo: null,
    ruleTags: [],
    symbols: [symbol],
    score: 0.5,
    weight: 1,
  };
  return { kind: 'tweet', source, offset: String(offset), watermarkBefore: before, tweet };
}
const mark = (source: number, before: number | null): RepartitionItem => ({
  kind: 'mark',
  source,
  watermarkBefore: before,
});

describe('window stage partition', () => {
  it('skips a record a score-stage replay sends again, by source offset', () => {
    const w = createWindowPartition(options);
    expect(w.apply(record(0, 5, H0 + MIN, null))).toBe(true);
    expect(w.apply(record(0, 5, H0 + MIN, null))).toBe(false);
    expect(w.apply(record(0, 3, H0, null))).toBe(false);
    expect(w.apply(record(1, 3, H0, null))).toBe(true);
    w.flushWindows();
    expect(w.drain().buckets.map((b) => b.count)).toEqual([2]);
  });

  it('applies the records of one tweet for several symbols of the partition, once each', () => {
    const w = createWindowPartition(options);
    expect(w.apply(record(0, 7, H0, null, 'BTC'))).toBe(true);
    expect(w.apply(record(0, 7, H0, null, 'ETH'))).toBe(true);
    expect(w.apply(record(0, 7, H0, null, 'BTC'))).toBe(false);
    expect(w.apply(record(0, 7, H0, null, 'ETH'))).toBe(false);
    w.flushWindows();
    expect(w.drain().buckets.map((b) => [b.symbol, b.count])).toEqual([
      ['BTC', 1],
      ['ETH', 1],
    ]);
  });

  it('closes a bucket only once every source has a mark past its end', () => {
    const w = createWindowPartition(options);
    w.apply(record(0, 0, H0 + MIN, null));
    const past = H0 + HOUR_MS + 11 * MIN; // end + lateness + out-of-orderness bound, and a minute more
    w.apply(mark(0, past));
    expect(w.drain().buckets).toEqual([]);
    w.apply(mark(1, past));
    const out = w.drain();
    expect(out.buckets.map((b) => [b.start, b.count])).toEqual([[H0, 1]]);
    expect(out.decisions.map((d) => d.bucketStart)).toEqual([H0]);
  });

  it("decides lateness by the record's own source, whatever the other sources did", () => {
    // Source 0 has moved 20 minutes past the bucket's end; source 1 is far behind, so the bucket is open.
    const w = createWindowPartition(options);
    w.apply(record(1, 0, H0 + MIN, null));
    w.apply(record(0, 1, H0 + 2 * MIN, H0 + HOUR_MS + 20 * MIN));
    const out = w.drain();
    expect(out.late.map((d) => [d.tweetId, d.reason])).toEqual([['t0-1', 'late']]);
    w.flushWindows();
    expect(w.drain().buckets.map((b) => b.count)).toEqual([1]);
  });

  it('resumes from a snapshot exactly: same skips, same buckets', () => {
    const w = createWindowPartition(options);
    w.apply(record(0, 1, H0, null));
    w.apply(record(1, 1, H0 + MIN, null));
    const resumed = createWindowPartition(options, JSON.parse(JSON.stringify(w.snapshot())));
    expect(resumed.apply(record(0, 1, H0, null))).toBe(false);
    expect(resumed.apply(record(0, 2, H0 + 2 * MIN, H0))).toBe(true);
    resumed.flushWindows();
    expect(resumed.drain().buckets.map((b) => b.count)).toEqual([3]);
  });
});
