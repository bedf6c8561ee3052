import { describe, expect, it } from 'vitest';
import { createStrategy } from '../../../operators/index.js';
import { windowChain } from '../../../pipeline/runtime/chain.js';
import { Collector } from '../../../pipeline/runtime/output/collector.js';
import { windowTweet } from '../../../pipeline/runtime/output/window-tweet.js';
import { createWindowTask } from '../../../pipeline/runtime/window-task.js';

const T = Date.UTC(2026, 0, 5, 10);
const MIN = 60_000;

function windowOf() {
  const outputs = new Collector({ topic: 'tweets.raw', rows: false });
  const task = createWindowTask(
    windowChain,
    {
      sources: [0, 1],
      strategy: createStrategy('threshold', { lookback: '2', threshold: '0.05', minCount: '1' }),
      window: { maxOutOfOrdernessMs: 5 * MIN, allowedLatenessMs: 5 * MIN },
    },
    outputs,
  );
  return { task, take: () => outputs.take() };
}

describe('createWindowTask fed scored tweets per source', () => {
  it('drops a tweet whose bucket its own source closed, even while another source lags', () => {
    const { task, take } = windowOf();
    task.tweet(0, windowTweet('t1', T + 30 * MIN, 'a', ['BTC'], 0.5, 1));
    task.tweet(0, windowTweet('t2', T + 80 * MIN, 'b', ['BTC'], 0.5, 1));
    task.tweet(0, windowTweet('t3', T + 40 * MIN, 'c', ['BTC'], 0.5, 1));
    task.finish();
    const out = take();

    expect(out.late.map((d) => d.tweetId)).toEqual(['t3']);
    expect(out.buckets.map((b) => [b.start, b.count])).toEqual([
      [T, 1],
      [T + 60 * MIN, 1],
    ]);
  });

  it('lets an advance of a source close its buckets for it, and for all once every source passed', () => {
    const { task, take } = windowOf();
    task.tweet(0, windowTweet('t4', T + 30 * MIN, 'a', ['BTC'], 0.5, 1));
    task.advance(0, T + 80 * MIN);
    task.tweet(0, windowTweet('t5', T + 40 * MIN, 'c', ['BTC'], 0.5, 1));
    expect(take()).toMatchObject({ buckets: [], late: [{ tweetId: 't5', reason: 'late' }] });

    task.advance(1, T + 80 * MIN);
    const out = take();
    expect(out.buckets.map((b) => [b.symbol, b.start, b.count, b.distinctAuthors])).toEqual([
      ['BTC', T, 1, 1],
    ]);
    expect(out.decisions).toHaveLength(1);
    expect(out.decisions[0]!.symbol).toBe('BTC');
  });

  it('windows a tweet into each of its symbols with its score, weight and author', () => {
    const { task, take } = windowOf();
    task.tweet(1, windowTweet('t6', T + 1 * MIN, 'a', ['BTC', 'ETH'], 0.5, 2));
    task.tweet(1, windowTweet('t7', T + 2 * MIN, 'a', ['ETH'], -0.25, 1));
    task.finish();
    const [btc, eth] = take().buckets;

    expect(btc).toMatchObject({ symbol: 'BTC', count: 1, scoreSum: 0.5, weightSum: 2, weightedScoreSum: 1 });
    expect(eth).toMatchObject({
      symbol: 'ETH',
      count: 2,
      scoreSum: 0.25,
      distinctAuthors: 1,
      positive: 1,
      negative: 1,
    });
  });
});
