import { describe, expect, it } from 'vitest';
import { createStrategy } from '../../../operators/index.js';
import { createEngineWindow } from '../../../pipeline/process/engine.js';

const T = Date.UTC(2026, 0, 5, 10);
const MIN = 60_000;
const windowOf = () =>
  createEngineWindow({
    partitions: [0, 1],
    strategy: createStrategy('threshold', { lookback: '2', threshold: '0.05', minCount: '1' }),
    window: { maxOutOfOrdernessMs: 5 * MIN, allowedLatenessMs: 5 * MIN },
  });

describe('createEngineWindow fed scored records (score threads)', () => {
  it('drops a tweet whose bucket its own partition closed, even while another partition lags', () => {
    const w = windowOf();
    w.tweet(0, T + 30 * MIN, 0.5, 1, 'a', ['BTC'], 't1');
    w.tweet(0, T + 80 * MIN, 0.5, 1, 'b', ['BTC'], 't2');
    w.tweet(0, T + 40 * MIN, 0.5, 1, 'c', ['BTC'], 't3');
    w.flushWindows();
    const out = w.drain();

    expect(out.late.map((d) => d.tweetId)).toEqual(['t3']);
    expect(out.buckets.map((b) => [b.start, b.count])).toEqual([
      [T, 1],
      [T + 60 * MIN, 1],
    ]);
  });

  it('lets an advance of a partition close its buckets for it, and for all once every partition passed', () => {
    const w = windowOf();
    w.tweet(0, T + 30 * MIN, 0.5, 1, 'a', ['BTC'], 't4');
    w.advance(0, T + 80 * MIN);
    w.tweet(0, T + 40 * MIN, 0.5, 1, 'c', ['BTC'], 't5');
    expect(w.drain()).toMatchObject({ buckets: [], late: [{ tweetId: 't5', reason: 'late' }] });

    w.advance(1, T + 80 * MIN);
    const out = w.drain();
    expect(out.buckets.map((b) => [b.symbol, b.start, b.count, b.distinctAuthors])).toEqual([
      ['BTC', T, 1, 1],
    ]);
    expect(out.decisions).toHaveLength(1);
    expect(out.decisions[0]!.symbol).toBe('BTC');
  });

  it('windows a tweet into each of its symbols with its score, weight and author', () => {
    const w = windowOf();
    w.tweet(1, T + 1 * MIN, 0.5, 2, 'a', ['BTC', 'ETH'], 't6');
    w.tweet(1, T + 2 * MIN, -0.25, 1, 'a', ['ETH'], 't7');
    w.flushWindows();
    const [btc, eth] = w.drain().buckets;

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
