/** Builders and RxJS test helpers shared by the operator specs. */
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';
import type { Bucket, FilteredTweet, RawEnvelope, ScoredTweet, Tweet } from '../../operators/types.js';

export const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export function tweet(overrides: Partial<Tweet> = {}): Tweet {
  return {
    kind: 'tweet',
    id: '100',
    source: 'x',
    text: '$BTC looks strong today',
    createdAt: T0,
    authorId: '9',
    authorUsername: 'alice',
    authorFollowers: 100,
    authorCreatedAt: T0 - 365 * 24 * HOUR,
    lang: 'en',
    metrics: { retweets: 0, replies: 0, likes: 0, quotes: 0 },
    retweetOf: null,
    quoteOf: null,
    replyTo: null,
    ruleTags: [],
    ...overrides,
  };
}

export function filtered(overrides: Partial<FilteredTweet> = {}): FilteredTweet {
  return { ...tweet(), kind: 'filtered', symbols: ['BTC'], ...overrides };
}

export function scored(overrides: Partial<ScoredTweet> = {}): ScoredTweet {
  return { ...tweet(), kind: 'scored', symbols: ['BTC'], score: 0.5, weight: 1, ...overrides };
}

export function bucket(overrides: Partial<Bucket> = {}): Bucket {
  return {
    kind: 'bucket',
    symbol: 'BTC',
    start: T0,
    count: 50,
    scoreSum: 0,
    scoreMean: 0,
    weightSum: 50,
    weightedScoreSum: 0,
    weightedMean: 0,
    positive: 10,
    negative: 10,
    neutral: 30,
    distinctAuthors: 40,
    firstEventTime: T0,
    lastEventTime: T0 + HOUR - 1,
    ...overrides,
  };
}

export function envelope(
  data: Record<string, unknown> = {},
  rest: Record<string, unknown> = {},
): RawEnvelope {
  return {
    data: {
      id: '1800000000000000001',
      text: 'Buying more $BTC today',
      created_at: '2026-01-01T10:00:00.000Z',
      author_id: '42',
      lang: 'en',
      public_metrics: { retweet_count: 1, reply_count: 2, like_count: 3, quote_count: 4 },
      ...data,
    },
    includes: {
      users: [
        {
          id: '42',
          username: 'alice',
          created_at: '2020-05-01T00:00:00.000Z',
          public_metrics: { followers_count: 1234 },
        },
      ],
    },
    matching_rules: [{ id: '1', tag: 'crypto' }],
    ...rest,
  } as RawEnvelope;
}

export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Event times from gaps: start + g0, start + g0 + g1, ... */
export function runningTimes(gaps: readonly number[], start = T0): number[] {
  const out: number[] = [];
  let t = start;
  for (const g of gaps) {
    t += g;
    out.push(t);
  }
  return out;
}
