import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeParsed } from '../../../operators/normalize-envelope.js';
import type { Tweet } from '../../../operators/types.js';
import { generateEnvelopes } from '../../../pipeline/sources/synthetic.js';

const take = (options: Parameters<typeof generateEnvelopes>[0]) => [...generateEnvelopes(options)];
const bytes = (options: Parameters<typeof generateEnvelopes>[0]) =>
  take(options)
    .map((e) => JSON.stringify(e))
    .join('\n');

describe('generateEnvelopes', () => {
  const sample = take({ seed: 7, count: 5000 });
  const tweets = sample.map((e) => normalizeParsed(e)).filter((t): t is Tweet => t.kind === 'tweet');

  it('gives the same bytes for the same seed, and different ones for another seed', () => {
    expect(bytes({ seed: 3, count: 300 })).toBe(bytes({ seed: 3, count: 300 }));
    expect(bytes({ seed: 3, count: 300 })).not.toBe(bytes({ seed: 4, count: 300 }));
  });

  it('keeps the bytes each seed gave when it was written (benches and tests depend on them)', () => {
    const sha = (options: Parameters<typeof generateEnvelopes>[0]) =>
      createHash('sha256')
        .update(`${bytes(options)}\n`)
        .digest('hex');
    expect(sha({ seed: 9, count: 3000 })).toBe(
      '3f46a2b7c626e04618410c37b394d7fa4cfd53f374ad39fccaaa461edd93738f',
    );
    expect(
      sha({
        seed: 5,
        count: 3000,
        tweetsPerSecond: 0.1,
        authors: 50,
        symbols: ['BTC', 'FOO'],
        mix: { repeat: 0.2, retweet: 0.3 },
      }),
    ).toBe('625dcc978b1cf2398617a5cccdfe97aaa5e83df1a5d1569490d07ae533d6663d');
  });

  it('is lazy and endless by default', () => {
    const gen = generateEnvelopes({ seed: 1 });
    for (let i = 0; i < 10; i++) expect(gen.next().done).toBe(false);
  });

  it('yields envelopes that normalize cleanly', () => {
    expect(tweets.length).toBe(sample.length);
  });

  it('advances created_at at the set rate with bounded out-of-order jitter', () => {
    const start = Date.UTC(2026, 0, 1);
    const fresh = take({
      seed: 2,
      count: 2000,
      startTime: start,
      tweetsPerSecond: 10,
      maxJitterMs: 30_000,
      mix: { repeat: 0 },
    })
      .map((e) => normalizeParsed(e) as Tweet)
      .map((t) => t.createdAt);
    let max = Number.NEGATIVE_INFINITY;
    for (const t of fresh) {
      expect(max - t).toBeLessThanOrEqual(30_000);
      max = Math.max(max, t);
    }
    expect(max).toBeGreaterThan(start + 190_000);
    expect(max).toBeLessThanOrEqual(start + 200_000);
  });

  it('mixes retweets carrying their original, spam copies, giveaway bait, several languages and repeats', () => {
    const retweets = sample.filter((e) => e.data.referenced_tweets?.[0]?.type === 'retweeted');
    expect(retweets.length / sample.length).toBeGreaterThan(0.1);
    expect(retweets.every((e) => e.includes?.tweets?.[0]?.id === e.data.referenced_tweets?.[0]?.id)).toBe(
      true,
    );
    const texts = sample.map((e) => e.data.text);
    expect(
      texts.filter((t) => /VIP signals|simple bot|10x by next month|futures tomorrow/.test(t)).length,
    ).toBeGreaterThan(100);
    expect(texts.some((t) => /giveaway|airdrop/i.test(t))).toBe(true);
    expect(new Set(sample.map((e) => e.data.lang)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(sample.map((e) => e.data.id)).size).toBeLessThan(sample.length);
  });

  it('has heavy-tailed followers, some brand-new accounts and all default symbols', () => {
    const followers = tweets.map((t) => t.authorFollowers ?? 0).sort((a, b) => a - b);
    const median = followers[Math.floor(followers.length / 2)]!;
    expect(followers.at(-1)!).toBeGreaterThan(median * 100);
    expect(tweets.some((t) => t.createdAt - t.authorCreatedAt! < 7 * 86_400_000)).toBe(true);
    for (const s of ['BTC', 'ETH', 'SOL', 'ADA', 'DOGE', 'XRP']) {
      expect(tweets.some((t) => t.text.toUpperCase().includes(s) || t.text.includes('#'))).toBe(true);
    }
  });

  it('lets sentiment drift: the share of positive opinions about a symbol changes over the day', () => {
    const day = take({ seed: 5, count: 40_000, tweetsPerSecond: 0.5, symbols: ['BTC'] });
    const positive =
      /moon|new ATH|hodl|strength|loving|pumping hard|accumulating|stepping in|optimistic|feeling bullish/;
    const share = (part: typeof day) => part.filter((e) => positive.test(e.data.text)).length / part.length;
    const quarters = [0, 1, 2, 3].map((q) => share(day.slice(q * 10_000, (q + 1) * 10_000)));
    expect(Math.max(...quarters) - Math.min(...quarters)).toBeGreaterThan(0.05);
  });
});
