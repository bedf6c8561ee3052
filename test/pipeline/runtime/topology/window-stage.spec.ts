import { describe, expect, it } from 'vitest';
import { createStrategy, HOUR_MS, type ScoredTweet } from '../../../../operators/index.js';
import { windowChain } from '../../../../pipeline/runtime/chain.js';
import type { GroupState } from '../../../../pipeline/runtime/checkpoint.js';
import { markMessages, scoredMessages } from '../../../../pipeline/runtime/output/scored-records.js';
import { createWindowStage } from '../../../../pipeline/runtime/topology/window-stage.js';
import type { OutgoingMessage } from '../../../../sinks/kafka/producer.js';
import { silent } from '../world.js';

const H0 = Date.UTC(2026, 0, 1, 10);
const MIN = 60_000;
const KEY = 'tweets.scored#0';
const window = { maxOutOfOrdernessMs: 5 * MIN, allowedLatenessMs: 5 * MIN };

/** A window stage holding tweets.scored partition 0, fed one message at a time. */
function stageOf(from?: GroupState) {
  const skipped = { replayed: 0, invalid: 0 };
  const stage = createWindowStage({
    windowChain,
    window: { sources: [0, 1], strategy: createStrategy('threshold', ''), window },
    topic: 'tweets.scored',
    collector: { topic: 'tweets.scored', rows: false },
    log: silent,
    skipped,
  });
  stage.open(KEY, [0], from);
  let offset = 0;
  return {
    stage,
    skipped,
    send(message: OutgoingMessage) {
      const value = Buffer.from(message.value as string);
      stage.push(0, [{ partition: 0, offset: String(offset++), value, timestamp: 0 }]);
    },
    take: async () => (await stage.cut([])).batch,
  };
}

function record(
  source: number,
  offset: number,
  at: number,
  before: number | null,
  symbol = 'BTC',
): OutgoingMessage {
  const tweet: ScoredTweet = {
    kind: 'scored',
    id: `t${source}-${offset}`,
    source: 'x',
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
  return scoredMessages(tweet, source, String(offset), before)[0]!;
}
const mark = (source: number, before: number | null): OutgoingMessage =>
  markMessages({ source, watermarkBefore: before }, [0])[0]!;

describe('window stage', () => {
  it('skips a record a score-stage replay sends again, by source offset', async () => {
    const w = stageOf();
    w.send(record(0, 5, H0 + MIN, null));
    expect(w.skipped.replayed).toBe(0);
    w.send(record(0, 5, H0 + MIN, null));
    expect(w.skipped.replayed).toBe(1);
    w.send(record(0, 3, H0, null));
    expect(w.skipped.replayed).toBe(2);
    w.send(record(1, 3, H0, null));
    expect(w.skipped.replayed).toBe(2);
    w.stage.finish();
    expect((await w.take()).buckets.map((b) => b.count)).toEqual([2]);
  });

  it('applies the records of one tweet for several symbols of the partition, once each', async () => {
    const w = stageOf();
    w.send(record(0, 7, H0, null, 'BTC'));
    w.send(record(0, 7, H0, null, 'ETH'));
    expect(w.skipped.replayed).toBe(0);
    w.send(record(0, 7, H0, null, 'BTC'));
    w.send(record(0, 7, H0, null, 'ETH'));
    expect(w.skipped.replayed).toBe(2);
    w.stage.finish();
    expect((await w.take()).buckets.map((b) => [b.symbol, b.count])).toEqual([
      ['BTC', 1],
      ['ETH', 1],
    ]);
  });

  it('closes a bucket only once every source has a mark past its end', async () => {
    const w = stageOf();
    w.send(record(0, 0, H0 + MIN, null));
    const past = H0 + HOUR_MS + 11 * MIN; // end + lateness + out-of-orderness bound, and a minute more
    w.send(mark(0, past));
    expect((await w.take()).buckets).toEqual([]);
    w.send(mark(1, past));
    const out = await w.take();
    expect(out.buckets.map((b) => [b.start, b.count])).toEqual([[H0, 1]]);
    expect(out.decisions.map((d) => d.bucketStart)).toEqual([H0]);
  });

  it("decides lateness by the record's own source, whatever the other sources did", async () => {
    // Source 0 has moved 20 minutes past the bucket's end; source 1 is far behind, so the bucket is open.
    const w = stageOf();
    w.send(record(1, 0, H0 + MIN, null));
    w.send(record(0, 1, H0 + 2 * MIN, H0 + HOUR_MS + 20 * MIN));
    const out = await w.take();
    expect(out.late.map((d) => [d.tweetId, d.reason])).toEqual([['t0-1', 'late']]);
    w.stage.finish();
    expect((await w.take()).buckets.map((b) => b.count)).toEqual([1]);
  });

  it('resumes from the state of a cut exactly: same skips, same buckets', async () => {
    const w = stageOf();
    w.send(record(0, 1, H0, null));
    w.send(record(1, 1, H0 + MIN, null));
    const { states } = await w.stage.cut([KEY]);
    const resumed = stageOf(JSON.parse(JSON.stringify(states.get(KEY))) as GroupState);
    resumed.send(record(0, 1, H0, null));
    expect(resumed.skipped.replayed).toBe(1);
    resumed.send(record(0, 2, H0 + 2 * MIN, H0));
    expect(resumed.skipped.replayed).toBe(1);
    resumed.stage.finish();
    expect((await resumed.take()).buckets.map((b) => b.count)).toEqual([3]);
  });
});
