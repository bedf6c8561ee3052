import { describe, expect, it } from 'vitest';
import { createTweetFilter, filterTweet, filterTweets } from '../../operators/filter-tweets.js';
import { dropped, FILTER_REASONS } from '../../operators/tally-drops.js';
import type { FilteredTweet, Tweet } from '../../operators/types.js';
import { HOUR, T0, testScheduler, tweet } from './support.js';

const reasonOf = (t: Tweet): string => {
  const r = filterTweet(t);
  return r.kind === 'dropped' ? r.reason : 'kept';
};

describe('filterTweet', () => {
  it('tags a tweet with every symbol it mentions, sorted and unique', () => {
    const r = filterTweet(tweet({ text: '$SOL and #bitcoin and BTC again' })) as FilteredTweet;
    expect(r.kind).toBe('filtered');
    expect(r.symbols).toEqual(['BTC', 'SOL']);
    expect(r.id).toBe('100');
  });

  it.each([
    ['language', { lang: 'de' }],
    ['no_symbol', { text: 'good morning, the method works' }],
    ['spam_giveaway', { text: 'GIVEAWAY: 1000 $DOGE to 10 winners' }],
    ['spam_giveaway', { text: '$ETH airdrop is live, claim your tokens' }],
    ['spam_giveaway', { text: 'Send 0.1 $BTC and get 1 $BTC back' }],
    ['spam_giveaway', { text: 'free $SOL for followers' }],
    ['spam_giveaway', { text: '$ADA news, dm me for details' }],
    ['cashtag_stuffing', { text: '$BTC $ETH $SOL $ADA $DOGE $XRP moon' }],
    ['new_account', { authorCreatedAt: T0 - 2 * 24 * HOUR }],
    ['no_followers', { authorFollowers: 0 }],
    ['kept', { lang: null }],
    ['kept', { authorFollowers: null, authorCreatedAt: null }],
    ['kept', { text: '$BTC $ETH $SOL $ADA $DOGE rotation' }],
  ] as const)('%s: %j', (reason, overrides) => {
    expect(reasonOf(tweet(overrides))).toBe(reason);
  });

  it('checks in the documented order: language before symbols before bot heuristics', () => {
    expect(reasonOf(tweet({ lang: 'de', text: 'no symbol here', authorFollowers: 0 }))).toBe('language');
    expect(reasonOf(tweet({ text: 'airdrop time', authorFollowers: 0 }))).toBe('no_symbol');
  });

  it('takes languages, thresholds and patterns from options', () => {
    const decide = createTweetFilter({
      languages: ['en', 'de'],
      keepUndetermined: false,
      minFollowers: 500,
      minAccountAgeMs: 0,
      spamPatterns: [/\bpresale\b/],
      maxCashtags: 1,
    });
    const reason = (t: Tweet) => {
      const r = decide(t);
      return r.kind === 'dropped' ? r.reason : 'kept';
    };
    expect(reason(tweet({ lang: 'de', authorFollowers: 600 }))).toBe('kept');
    expect(reason(tweet({ lang: null, authorFollowers: 600 }))).toBe('language');
    expect(reason(tweet({ authorFollowers: 100 }))).toBe('no_followers');
    expect(reason(tweet({ text: '$BTC presale', authorFollowers: 600 }))).toBe('spam_giveaway');
    expect(reason(tweet({ text: '$BTC $ETH', authorFollowers: 600 }))).toBe('cashtag_stuffing');
  });

  it('only uses reasons from FILTER_REASONS, with tweet id and event time', () => {
    const r = filterTweet(tweet({ lang: 'ja' }));
    expect(r).toMatchObject({ stage: 'filter', tweetId: '100', eventTime: T0 });
    expect(FILTER_REASONS).toContain((r as { reason: string }).reason);
  });
});

describe('filterTweets', () => {
  const a = tweet({ id: '1' });
  const g = tweet({ id: '2', lang: 'de' });
  const d = dropped('dedupe', 'retweet', 'x', '3', T0);
  const A = expect.objectContaining({ kind: 'filtered', id: '1', symbols: ['BTC'] });

  it('completes at once on an empty source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Tweet>('|').pipe(filterTweets())).toBe('|');
    });
  });

  it('emits one item per input, drops in place, earlier drops passed through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-g-d|', { a, g, d }).pipe(filterTweets())).toBe('-A-x-d|', {
        A,
        d,
        x: expect.objectContaining({ reason: 'language' }),
      });
    });
  });

  it('passes a single tweet', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a|', { a }).pipe(filterTweets())).toBe('A|', { A });
    });
  });

  it('forwards a source error', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#', { a }).pipe(filterTweets())).toBe('-A-#', { A });
    });
  });

  it('keeps going on a never-ending source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-a-', { a }).pipe(filterTweets())).toBe('-A-A-', { A });
    });
  });

  it('unsubscribes from the source on early unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-a-a|', { a });
      expectObservable(source.pipe(filterTweets()), '^--!').toBe('-A-', { A });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('turns an exception while reading a tweet into an error notification', () => {
    const hostile = {
      ...a,
      get text(): string {
        throw new Error('hostile');
      },
    } as Tweet;
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-h-a', { a, h: hostile }).pipe(filterTweets())).toBe(
        '-A-#',
        { A },
        new Error('hostile'),
      );
    });
  });
});
