import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../lib/errors.js';
import type { ScoredTweet } from '../../../../operators/index.js';
import {
  decodeItem,
  encodeItem,
  markMessages,
  scoredMessages,
} from '../../../../pipeline/runtime/output/scored-records.js';

const tweet: ScoredTweet = {
  kind: 'scored',
  id: '1001',
  source: 'x',
  text: '$BTC and $ETH to the moon',
  createdAt: Date.UTC(2026, 0, 1, 10, 30),
  authorId: 'a1',
  authorUsername: 'alice',
  authorFollowers: 120,
  authorCreatedAt: null,
  lang: 'en',
  metrics: { retweets: 1, replies: 2, likes: 3, quotes: 0 },
  retweetOf: null,
  quoteOf: null,
  replyTo: null,
  ruleTags: ['crypto'],
  symbols: ['BTC', 'ETH'],
  score: 0.123456789012345,
  weight: 1.5,
};

describe('tweets.scored records', () => {
  it('sends one record per symbol, keyed by it, carrying only that symbol', () => {
    const messages = scoredMessages(tweet, 2, '17', 1_000);
    expect(messages.map((m) => m.key)).toEqual(['BTC', 'ETH']);
    const decoded = messages.map((m) => decodeItem(m.value as string, 'test'));
    expect(decoded).toEqual([
      {
        kind: 'tweet',
        source: 2,
        offset: '17',
        watermarkBefore: 1_000,
        tweet: { ...tweet, symbols: ['BTC'] },
      },
      {
        kind: 'tweet',
        source: 2,
        offset: '17',
        watermarkBefore: 1_000,
        tweet: { ...tweet, symbols: ['ETH'] },
      },
    ]);
    expect(messages[0]!.timestamp).toBe(tweet.createdAt);
  });

  it('keeps scores bit for bit, so the window sums the same numbers', () => {
    const [message] = scoredMessages(tweet, 0, '1', null);
    const item = decodeItem(Buffer.from(message!.value as string), 'test');
    expect(item.kind === 'tweet' && item.tweet.score).toBe(tweet.score);
    expect(item.watermarkBefore).toBeNull();
  });

  it('addresses a mark to every given partition explicitly', () => {
    const marks = markMessages({ source: 3, watermarkBefore: 42 }, [0, 1, 2]);
    expect(marks.map((m) => m.partition)).toEqual([0, 1, 2]);
    expect(marks.every((m) => m.key === null)).toBe(true);
    expect(decodeItem(marks[1]!.value as string, 'test')).toEqual({
      kind: 'mark',
      source: 3,
      watermarkBefore: 42,
    });
  });

  it.each([
    ['null', null],
    ['not JSON', '{"v":1,'],
    [
      'another version',
      encodeItem({ kind: 'mark', source: 0, watermarkBefore: 1 }).replace('"v":1', '"v":2'),
    ],
    ['a negative source', JSON.stringify({ v: 1, kind: 'mark', source: -1, watermarkBefore: 1 })],
    ['an unknown kind', JSON.stringify({ v: 1, kind: 'bucket', source: 0, watermarkBefore: 1 })],
    [
      'a record with two symbols',
      JSON.stringify({ v: 1, kind: 'tweet', source: 0, offset: '1', watermarkBefore: null, tweet }),
    ],
    [
      'a record without an offset',
      JSON.stringify({
        v: 1,
        kind: 'tweet',
        source: 0,
        watermarkBefore: null,
        tweet: { ...tweet, symbols: ['BTC'] },
      }),
    ],
  ])('refuses %s with an InputError', (_name, value) => {
    expect(() => decodeItem(value, 'tweets.scored/0/5')).toThrow(InputError);
  });
});

describe('tweets.scored records and the post source', () => {
  const record = (t: Record<string, unknown>): string =>
    JSON.stringify({ v: 1, kind: 'tweet', source: 0, offset: '1', watermarkBefore: null, tweet: t });

  it("reads a record written before tweets carried a source as X's", () => {
    const { source: _, ...old } = { ...tweet, symbols: ['BTC'] };
    const item = decodeItem(record(old), 'tweets.scored/0/1');
    expect(item.kind === 'tweet' && item.tweet.source).toBe('x');
  });

  it('keeps a Bluesky source and refuses an unknown one', () => {
    const item = decodeItem(record({ ...tweet, symbols: ['BTC'], source: 'bluesky' }), 'w');
    expect(item.kind === 'tweet' && item.tweet.source).toBe('bluesky');
    expect(() => decodeItem(record({ ...tweet, symbols: ['BTC'], source: 'myspace' }), 'w')).toThrow(
      InputError,
    );
  });
});
