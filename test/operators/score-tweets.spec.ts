import { NEVER, of, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  createScoringModel,
  scoreText,
  scoreTweet,
  scoreTweets,
  tweetWeight,
} from '../../operators/score-tweets.js';
import type { Dropped, FilteredTweet, ScoredTweet } from '../../operators/types.js';

const model = createScoringModel();

function tweet(overrides: Partial<FilteredTweet> = {}): FilteredTweet {
  return {
    kind: 'filtered',
    id: '1',
    source: 'x',
    text: '$BTC looking bullish 🚀',
    createdAt: 1_700_000_000_000,
    authorId: 'a1',
    authorUsername: 'alice',
    authorFollowers: 1000,
    authorCreatedAt: null,
    lang: 'en',
    metrics: { retweets: 0, replies: 0, likes: 0, quotes: 0 },
    retweetOf: null,
    quoteOf: null,
    replyTo: null,
    ruleTags: [],
    symbols: ['BTC'],
    ...overrides,
  };
}

const dropped: Dropped = {
  kind: 'dropped',
  stage: 'filter',
  reason: 'language',
  detail: 'lang=fr',
  tweetId: '9',
  eventTime: 1_700_000_000_000,
};

const metrics = (m: Partial<FilteredTweet['metrics']>): FilteredTweet['metrics'] => ({
  retweets: 0,
  replies: 0,
  likes: 0,
  quotes: 0,
  ...m,
});

describe('tweetWeight', () => {
  it('is 1 + 0.5 log10(1 + followers) + 0.75 log10(1 + engagement) with the defaults', () => {
    expect(tweetWeight(tweet({ authorFollowers: 999_999, metrics: metrics({ likes: 999 }) }))).toBeCloseTo(
      6.25,
      10,
    );
    expect(tweetWeight(tweet({ authorFollowers: 0 }))).toBe(1);
  });

  it('uses the documented default for unknown followers (100)', () => {
    expect(tweetWeight(tweet({ authorFollowers: null }))).toBeCloseTo(1 + 0.5 * Math.log10(101), 10);
    expect(tweetWeight(tweet({ authorFollowers: null }), { unknownFollowers: 0 })).toBe(1);
  });

  it('grows with reach and engagement, retweets and quotes counting double', () => {
    const base = tweetWeight(tweet());
    expect(tweetWeight(tweet({ authorFollowers: 100_000 }))).toBeGreaterThan(base);
    expect(tweetWeight(tweet({ metrics: metrics({ likes: 10 }) }))).toBeGreaterThan(base);
    expect(tweetWeight(tweet({ metrics: metrics({ retweets: 5 }) }))).toBeCloseTo(
      tweetWeight(tweet({ metrics: metrics({ likes: 10 }) })),
      10,
    );
  });

  it('is bounded to [1, maxWeight] for any counts, including bad ones', () => {
    const huge = tweet({ authorFollowers: 1e12, metrics: metrics({ likes: 1e12, retweets: 1e12 }) });
    expect(tweetWeight(huge)).toBe(10);
    expect(tweetWeight(huge, { maxWeight: 4 })).toBe(4);
    const bad = tweet({ authorFollowers: -5, metrics: metrics({ likes: Number.NaN, replies: -3 }) });
    expect(tweetWeight(bad)).toBe(1);
  });
});

describe('scoreTweet', () => {
  it('adds score and weight and keeps every field', () => {
    const input = tweet();
    const scored = scoreTweet(input, model);
    const { kind: _kind, score, weight, ...rest } = scored;
    const { kind: _inKind, ...inputRest } = input;
    expect(scored.kind).toBe('scored');
    expect(rest).toEqual(inputRest);
    expect(score).toBe(scoreText(input.text, model).score);
    expect(score).toBeGreaterThan(0);
    expect(weight).toBe(tweetWeight(input));
    expect(input.kind).toBe('filtered');
  });
});

describe('scoreTweets (marbles)', () => {
  const scheduler = (): TestScheduler =>
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const t1 = tweet({ id: '1', text: 'great news, bullish' });
  const t2 = tweet({ id: '2', text: 'rekt, total scam' });
  const values = { a: t1, b: t2, d: dropped };
  const scored: Record<string, ScoredTweet | Dropped> = {
    x: scoreTweet(t1, model),
    y: scoreTweet(t2, model),
    d: dropped,
  };

  it('completes on an empty source', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<FilteredTweet | Dropped>('|').pipe(scoreTweets(model))).toBe('|');
    });
  });

  it('scores a single tweet', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', values).pipe(scoreTweets(model))).toBe('-x|', scored);
    });
  });

  it('scores many in order and passes Dropped through as the same object', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-d-b-a|', values).pipe(scoreTweets(model))).toBe('-x-d-y-x|', scored);
    });
    let seen: unknown;
    of<FilteredTweet | Dropped>(dropped)
      .pipe(scoreTweets(model))
      .subscribe((v) => {
        seen = v;
      });
    expect(seen).toBe(dropped);
  });

  it('passes a source error through after the items before it', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const error = new Error('boom');
      expectObservable(cold('-a-#', values, error).pipe(scoreTweets(model))).toBe('-x-#', scored, error);
    });
  });

  it('stays open on a never-ending source', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-', values).pipe(scoreTweets(model))).toBe('-x-y-', scored);
    });
  });

  it('unsubscribes from the source when the subscriber unsubscribes early', () => {
    scheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-b-a-b-|', values);
      expectObservable(source.pipe(scoreTweets(model)), '^--!').toBe('-x-', scored);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    const subject = new Subject<FilteredTweet | Dropped>();
    const subscription = subject.pipe(scoreTweets(model)).subscribe();
    expect(subject.observed).toBe(true);
    subscription.unsubscribe();
    expect(subject.observed).toBe(false);
    expect(NEVER.pipe(scoreTweets(model)).subscribe().closed).toBe(false);
  });

  it('errors (does not swallow) when handed something that is not a tweet', () => {
    const broken = { kind: 'filtered', metrics: null } as unknown as FilteredTweet;
    let error: unknown;
    of(broken)
      .pipe(scoreTweets(model))
      .subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(TypeError);
  });
});
