import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDedupeState, dedupeTweets } from '../../operators/dedupe-tweets.js';
import { dropped } from '../../operators/tally-drops.js';
import type { Dropped, Tweet } from '../../operators/types.js';
import { HOUR, MINUTE, T0, testScheduler, tweet } from './support.js';

const reasonOf = (r: Tweet | Dropped): string => (r.kind === 'dropped' ? r.reason : 'kept');

describe('createDedupeState', () => {
  it('drops an exact repeat of an id', () => {
    const state = createDedupeState();
    expect(reasonOf(state.step(tweet({ id: '1' })))).toBe('kept');
    expect(state.step(tweet({ id: '1', text: 'other text entirely here' }))).toMatchObject({
      kind: 'dropped',
      stage: 'dedupe',
      reason: 'duplicate_id',
      tweetId: '1',
    });
  });

  it('drops a retweet of an original already counted', () => {
    const state = createDedupeState();
    state.step(tweet({ id: '1', text: 'original $BTC opinion with words' }));
    expect(
      reasonOf(
        state.step(
          tweet({ id: '2', authorId: '8', retweetOf: '1', text: 'original $BTC opinion with words' }),
        ),
      ),
    ).toBe('retweet');
  });

  it('lets the first retweet stand in for an unseen original, which then drops as a duplicate', () => {
    const state = createDedupeState();
    const text = 'original $ETH take nobody saw yet';
    expect(reasonOf(state.step(tweet({ id: '2', authorId: '8', retweetOf: '1', text })))).toBe('kept');
    expect(reasonOf(state.step(tweet({ id: '3', authorId: '7', retweetOf: '1', text })))).toBe('retweet');
    expect(reasonOf(state.step(tweet({ id: '1', text })))).toBe('duplicate_id');
  });

  it('drops copy-paste spam from another account as a near duplicate of the first copy', () => {
    const state = createDedupeState();
    state.step(
      tweet({ id: '1', authorId: 'a', text: 'Join our VIP $BTC signals group now https://t.co/1 @bob' }),
    );
    expect(
      state.step(
        tweet({ id: '2', authorId: 'b', text: 'join our VIP $BTC signals group NOW https://t.co/2 @eve' }),
      ),
    ).toMatchObject({
      reason: 'near_duplicate',
      detail: 'text like 1',
    });
  });

  it('keeps different opinions about the same symbol', () => {
    const state = createDedupeState();
    state.step(tweet({ id: '1', text: '$BTC is going to the moon, buying more' }));
    expect(
      reasonOf(state.step(tweet({ id: '2', text: '$BTC is dumping hard, sold everything today' }))),
    ).toBe('kept');
  });

  it('keeps short texts even when they match, since short texts collide honestly', () => {
    const state = createDedupeState();
    state.step(tweet({ id: '1', text: '$BTC 🚀' }));
    expect(reasonOf(state.step(tweet({ id: '2', text: '$BTC 🚀' })))).toBe('kept');
  });

  it('forgets ids and texts once they fall behind the horizon', () => {
    const state = createDedupeState({ horizonMs: HOUR });
    const text = 'Join our VIP $BTC signals group right now';
    state.step(tweet({ id: '1', text, createdAt: T0 }));
    state.step(tweet({ id: '9', text: 'something else to move time on', createdAt: T0 + 2 * HOUR }));
    expect(reasonOf(state.step(tweet({ id: '2', text, createdAt: T0 + 2 * HOUR })))).toBe('kept');
    expect(
      reasonOf(state.step(tweet({ id: '1', text: 'late repeat of one', createdAt: T0 + 2 * HOUR }))),
    ).toBe('kept');
  });

  it('keeps state within its count bounds for any input', () => {
    const arbTweet = fc.record({
      id: fc.integer({ min: 0, max: 60 }).map(String),
      retweetOf: fc.option(fc.integer({ min: 0, max: 60 }).map(String)),
      text: fc.oneof(
        fc.constantFrom('join our vip group now please', 'buy $btc now or cry later friends'),
        fc.string(),
      ),
      createdAt: fc.integer({ min: 0, max: 10 * HOUR }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 16 }),
        fc.array(arbTweet, { maxLength: 300 }),
        (maxIds, maxTexts, items) => {
          const state = createDedupeState({ maxIds, maxTexts, horizonMs: HOUR });
          return items.every((item) => {
            state.step(tweet(item));
            const size = state.size();
            return size.ids <= maxIds && size.texts <= maxTexts;
          });
        },
      ),
    );
  });
});

describe('dedupeTweets', () => {
  const a = tweet({ id: '1', text: 'first opinion about $BTC price today' });
  const b = tweet({ id: '2', text: 'totally different view on $ETH fees this week' });
  const d = dropped('normalize', 'invalid_json', 'x', null, null);

  it('completes at once on an empty source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Tweet>('|').pipe(dedupeTweets())).toBe('|');
    });
  });

  it('passes a single tweet', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a }).pipe(dedupeTweets())).toBe('-a|', { a });
    });
  });

  it('drops repeats among many, passing earlier drops through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-a-d|', { a, b, d }).pipe(dedupeTweets())).toBe('-a-b-x-d|', {
        a,
        b,
        d,
        x: expect.objectContaining({ reason: 'duplicate_id' }),
      });
    });
  });

  it('keeps state per subscription', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const deduped = cold('-a|', { a }).pipe(dedupeTweets());
      expectObservable(deduped).toBe('-a|', { a });
      expectObservable(deduped).toBe('-a|', { a });
    });
  });

  it('forwards a source error', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a#', { a }).pipe(dedupeTweets())).toBe('-a#', { a });
    });
  });

  it('keeps going on a never-ending source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-', { a, b }).pipe(dedupeTweets())).toBe('-a-b-', { a, b });
    });
  });

  it('unsubscribes from the source on early unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|', { a, b });
      expectObservable(source.pipe(dedupeTweets()), '^-!').toBe('-a', { a });
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('turns an exception while reading a tweet into an error notification', () => {
    const hostile = {
      ...a,
      id: '5',
      get text(): string {
        throw new Error('hostile');
      },
    } as Tweet;
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-h-b', { a, h: hostile, b }).pipe(dedupeTweets())).toBe(
        '-a-#',
        { a },
        new Error('hostile'),
      );
    });
  });

  it('drops near duplicates arriving minutes apart across accounts', () => {
    const spam = (id: string, minute: number) =>
      tweet({
        id,
        authorId: `bot${id}`,
        text: `Top analysts agree $SOL will 10x, join now @u${id}`,
        createdAt: T0 + minute * MINUTE,
      });
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold('-a-b-c|', { a: spam('1', 0), b: spam('2', 5), c: spam('3', 9) }).pipe(dedupeTweets()),
      ).toBe('-a-x-x|', {
        a: spam('1', 0),
        x: expect.objectContaining({ reason: 'near_duplicate', detail: 'text like 1' }),
      });
    });
  });
});

describe('createDedupeState snapshots', () => {
  const arbTweet = fc.record({
    id: fc.integer({ min: 0, max: 80 }).map(String),
    retweetOf: fc.option(fc.integer({ min: 0, max: 80 }).map(String)),
    text: fc.constantFrom(
      'join our vip group now please friends',
      'buy $btc now or cry later friends',
      '$eth fees fell again after the upgrade',
      'short one',
    ),
    createdAt: fc.integer({ min: 0, max: 4 * HOUR }),
  });

  it('resumes from a JSON round-tripped snapshot with the same decisions as an uninterrupted run', () => {
    fc.assert(
      fc.property(fc.array(arbTweet, { maxLength: 120 }), fc.nat(120), (items, cut) => {
        const options = { maxIds: 30, maxTexts: 10, horizonMs: HOUR };
        const tweets = items.map((i) => tweet(i));
        const straight = createDedupeState(options);
        const expected = tweets.map((t) => reasonOf(straight.step(t)));
        const first = createDedupeState(options);
        const before = tweets.slice(0, cut).map((t) => reasonOf(first.step(t)));
        const resumed = createDedupeState(options, JSON.parse(JSON.stringify(first.snapshot())));
        const after = tweets.slice(cut).map((t) => reasonOf(resumed.step(t)));
        expect([...before, ...after]).toEqual(expected);
      }),
    );
  });
});
