/**
 * What each source's posts become in the score half beyond normalize: their weight (Jetstream carries no
 * follower count or engagement; Mastodon does) and dedupe of the same text cross-posted to X, Bluesky and
 * Mastodon (within one partition's dedupe state; test/integration/cross-posts.spec.ts shows the copies meet in one).
 */
import { describe, expect, it } from 'vitest';
import { createDedupeState } from '../../operators/dedupe-tweets.js';
import { normalizeParsed } from '../../operators/normalize-envelope.js';
import { tweetWeight } from '../../operators/score-tweets.js';
import type { FilteredTweet, Tweet } from '../../operators/types.js';
import { envelope, filtered } from './support.js';

const T = Date.parse('2024-09-09T19:46:02.000Z');

function tweetOf(value: unknown): Tweet {
  const t = normalizeParsed(value);
  if (t.kind !== 'tweet') throw new Error(`${t.reason}: ${t.detail}`);
  return t;
}

const asFiltered = (t: Tweet): FilteredTweet => ({ ...t, kind: 'filtered', symbols: ['BTC'] });

function jetstream(did: string, rkey: string, text: string) {
  return {
    did,
    time_us: T * 1000,
    kind: 'commit',
    commit: {
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey,
      record: { $type: 'app.bsky.feed.post', createdAt: new Date(T).toISOString(), langs: ['en'], text },
    },
  };
}

function status(
  uri: string,
  html: string,
  followers: number,
  counts: { reblogs: number; favourites: number; replies: number },
) {
  return {
    id: '1',
    uri,
    created_at: new Date(T + 1000).toISOString(),
    content: html,
    language: 'en',
    reblogs_count: counts.reblogs,
    favourites_count: counts.favourites,
    replies_count: counts.replies,
    account: {
      url: `${uri}/author`,
      acct: 'a',
      followers_count: followers,
      created_at: '2020-01-01T00:00:00.000Z',
    },
  };
}

describe('weight per source', () => {
  it('weighs every Bluesky post as an unknown author without engagement: 1 + 0.5 log10(101)', () => {
    const small = tweetWeight(asFiltered(tweetOf(jetstream('did:plc:aaa', '1', '$BTC up'))));
    const famous = tweetWeight(asFiltered(tweetOf(jetstream('did:plc:bbb', '2', '$BTC up'))));
    expect(small).toBeCloseTo(1 + 0.5 * Math.log10(101), 10);
    expect(famous).toBe(small);
    // The same as an X tweet whose author X did not include and that nobody engaged with yet.
    expect(small).toBe(tweetWeight(filtered({ authorFollowers: null })));
  });

  it('weighs a Mastodon status from followers_count and reblogs/favourites/replies, as X from its metrics', () => {
    const counts = { reblogs: 5, favourites: 40, replies: 2 };
    const t = tweetOf(status('https://m.example/s/1', '<p>$BTC up</p>', 5400, counts));
    const x = filtered({ authorFollowers: 5400, metrics: { retweets: 5, likes: 40, replies: 2, quotes: 0 } });
    expect(tweetWeight(asFiltered(t))).toBe(tweetWeight(x));
    expect(tweetWeight(asFiltered(t))).toBeCloseTo(
      1 + 0.5 * Math.log10(5401) + 0.75 * Math.log10(1 + 40 + 2 + 10),
      10,
    );
  });

  it('lets unknownFollowers (config scorer.weight) set where Bluesky posts sit', () => {
    const t = asFiltered(tweetOf(jetstream('did:plc:aaa', '1', '$BTC up')));
    expect(tweetWeight(t, { unknownFollowers: 0 })).toBe(1);
  });
});

describe('dedupe of cross-posted copies', () => {
  const text = 'Bitcoin just broke the range, $BTC heading to new highs this week';

  it('drops the Bluesky and Mastodon copies of an X post as near duplicates (one dedupe state)', () => {
    const dedupe = createDedupeState();
    const x = tweetOf(envelope({ text, created_at: new Date(T - 1000).toISOString() }));
    const bluesky = tweetOf(jetstream('did:plc:aaa', '3l3q', text));
    const mastodon = tweetOf(
      status('https://m.example/s/1', `<p>${text}</p>`, 10, {
        reblogs: 0,
        favourites: 0,
        replies: 0,
      }),
    );
    expect([x.source, bluesky.source, mastodon.source]).toEqual(['x', 'bluesky', 'mastodon']);
    expect(dedupe.step(x)).toBe(x);
    expect(dedupe.step(bluesky)).toMatchObject({
      kind: 'dropped',
      reason: 'near_duplicate',
      detail: `text like ${x.id}`,
    });
    expect(dedupe.step(mastodon)).toMatchObject({ kind: 'dropped', reason: 'near_duplicate' });
  });

  it('sees through Mastodon markup: a hashtag link, a mention and a paragraph break', () => {
    const dedupe = createDedupeState();
    const bluesky = tweetOf(
      jetstream('did:plc:aaa', '1', '#bitcoin just broke the range, heading to new highs @alice'),
    );
    const html =
      '<p><a href="https://m.example/tags/bitcoin" class="mention hashtag" rel="tag">#<span>bitcoin</span></a> just broke the range,</p>' +
      '<p>heading to new highs <span class="h-card"><a href="https://m.example/@alice" class="u-url mention">@<span>alice</span></a></span></p>';
    const mastodon = tweetOf(
      status('https://m.example/s/2', html, 10, { reblogs: 0, favourites: 0, replies: 0 }),
    );
    expect(dedupe.step(bluesky)).toBe(bluesky);
    expect(dedupe.step(mastodon)).toMatchObject({ reason: 'near_duplicate' });
  });

  it('keeps a different post of the same author and topic', () => {
    const dedupe = createDedupeState();
    const a = tweetOf(jetstream('did:plc:aaa', '1', text));
    const b = tweetOf(
      jetstream('did:plc:aaa', '2', 'Selling all my $BTC today, this rally will not last the week'),
    );
    expect(dedupe.step(a)).toBe(a);
    expect(dedupe.step(b)).toBe(b);
  });
});
