import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEnvelope, normalizeParsed } from '../../operators/normalize-envelope.js';
import { NORMALIZE_REASONS } from '../../operators/tally-drops.js';
import type { Dropped, Tweet } from '../../operators/types.js';

const fixture = (name: string): Record<string, unknown>[] =>
  readFileSync(new URL(`../fixtures/envelopes/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const [post, reply] = fixture('jetstream.jsonl') as [Record<string, unknown>, Record<string, unknown>];
const [status, reblog] = fixture('mastodon.jsonl') as [Record<string, unknown>, Record<string, unknown>];

function asTweet(result: Tweet | Dropped): Tweet {
  if (result.kind !== 'tweet') throw new Error(`expected a tweet, got ${result.reason}: ${result.detail}`);
  return result;
}

// A deep copy of `base` with `path` (dot-separated) set to `value` (undefined deletes it).
function withField(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const keys = path.split('.');
  let at = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  if (value === undefined) delete at[keys[keys.length - 1]!];
  else at[keys[keys.length - 1]!] = value;
  return copy;
}

describe('normalize on Bluesky Jetstream events', () => {
  it('maps a post: AT URI id, DID author, first language, no follower count or engagement', () => {
    expect(asTweet(normalizeEnvelope(JSON.stringify(post)))).toEqual({
      kind: 'tweet',
      id: 'at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3l3qo2vutsw2b',
      source: 'bluesky',
      text: '$BTC to the moon #bitcoin\n#crypto #hodl',
      createdAt: Date.parse('2024-09-09T19:46:02.102Z'),
      authorId: 'did:plc:eygmaihciaxprqvxpfvl6flk',
      authorUsername: null,
      authorFollowers: null,
      authorCreatedAt: null,
      lang: 'en',
      metrics: { retweets: 0, replies: 0, likes: 0, quotes: 0 },
      retweetOf: null,
      quoteOf: null,
      replyTo: null,
      ruleTags: [],
    });
  });

  it('takes replyTo from reply.parent.uri and quoteOf from an embedded record (with media too)', () => {
    const t = asTweet(normalizeParsed(reply));
    expect(t.replyTo).toBe('at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3l3qo2vutsw2b');
    expect(t.quoteOf).toBe('at://did:web:example.com/app.bsky.feed.post/3kabc');
    const plainQuote = withField(reply, 'commit.record.embed', {
      $type: 'app.bsky.embed.record',
      record: { uri: 'at://did:plc:x/app.bsky.feed.post/1', cid: 'c' },
    });
    expect(asTweet(normalizeParsed(plainQuote)).quoteOf).toBe('at://did:plc:x/app.bsky.feed.post/1');
  });

  it('reads an update as the post again, with the same id', () => {
    const updated = withField(post, 'commit.operation', 'update');
    expect(asTweet(normalizeParsed(updated)).id).toBe(asTweet(normalizeParsed(post)).id);
  });

  it.each([
    ['an identity event', { did: 'did:plc:a', time_us: 1, kind: 'identity', identity: {} }, 'not_a_post'],
    ['an account event', { did: 'did:plc:a', time_us: 1, kind: 'account', account: {} }, 'not_a_post'],
    ['a like', withField(post, 'commit.collection', 'app.bsky.feed.like'), 'not_a_post'],
    [
      'a delete',
      withField(withField(post, 'commit.record', undefined), 'commit.operation', 'delete'),
      'deleted_post',
    ],
    ['an unknown operation', withField(post, 'commit.operation', 'merge'), 'not_a_post'],
    ['a DID without a method', withField(post, 'did', 'did::abc'), 'bad_did'],
    ['a DID that is a number', withField(post, 'did', 42), 'bad_did'],
    ['a handle for a DID', withField(post, 'did', 'alice.bsky.social'), 'bad_did'],
    ['no rkey', withField(post, 'commit.rkey', undefined), 'missing_id'],
    ['an rkey with a slash', withField(post, 'commit.rkey', 'a/b'), 'bad_id'],
    ['an rkey of ..', withField(post, 'commit.rkey', '..'), 'bad_id'],
    ['no record', withField(post, 'commit.record', undefined), 'missing_data'],
    ['no record.text', withField(post, 'commit.record.text', undefined), 'missing_text'],
    ['a record.text that is no string', withField(post, 'commit.record.text', ['x']), 'bad_text'],
    ['no createdAt', withField(post, 'commit.record.createdAt', undefined), 'missing_created_at'],
    ['a bad createdAt', withField(post, 'commit.record.createdAt', 'soon'), 'bad_created_at'],
    ['langs that is no array', withField(post, 'commit.record.langs', 'en'), 'bad_lang'],
    [
      'a reply without a parent URI',
      withField(post, 'commit.record.reply', { parent: { uri: 5 } }),
      'bad_reference',
    ],
  ])('rejects %s', (_, event, reason) => {
    const result = normalizeParsed(event);
    expect(result).toMatchObject({ kind: 'dropped', stage: 'normalize', reason });
    expect(NORMALIZE_REASONS).toContain(reason);
  });

  it('keeps the post id on a rejection once it is known (a delete names the deleted post)', () => {
    const deleted = withField(withField(post, 'commit.record', undefined), 'commit.operation', 'delete');
    expect(normalizeParsed(deleted)).toMatchObject({
      reason: 'deleted_post',
      tweetId: 'at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3l3qo2vutsw2b',
    });
  });
});

describe('normalize on Mastodon statuses', () => {
  it('maps a status: URI id, account URL author, text from the HTML, engagement and followers', () => {
    expect(asTweet(normalizeEnvelope(JSON.stringify(status)))).toEqual({
      kind: 'tweet',
      id: 'https://mastodon.social/users/hodler/statuses/113106052335551012',
      source: 'mastodon',
      text: 'Buying more #BTC & holding, 100% sure 🚀\n\nask @alice\nsee https://example.com/a/very/long/path\n#crypto',
      createdAt: Date.parse('2024-09-09T19:46:02.000Z'),
      authorId: 'https://mastodon.social/@hodler',
      authorUsername: 'hodler',
      authorFollowers: 5400,
      authorCreatedAt: Date.parse('2022-11-05T00:00:00.000Z'),
      lang: 'en',
      metrics: { retweets: 5, replies: 2, likes: 40, quotes: 0 },
      retweetOf: null,
      quoteOf: null,
      replyTo: null,
      ruleTags: [],
    });
  });

  it('reads a reblog like a retweet: retweetOf the original URI, its text, language and engagement', () => {
    const t = asTweet(normalizeParsed(reblog));
    expect(t).toMatchObject({
      id: 'https://fosstodon.org/users/bob/statuses/113106052335559999/activity',
      retweetOf: 'https://mastodon.social/users/hodler/statuses/113106052335551012',
      text: 'Buying more #BTC & holding',
      authorId: 'https://fosstodon.org/@bob',
      authorFollowers: 12,
      lang: 'en',
      metrics: { retweets: 5, replies: 2, likes: 40, quotes: 0 },
    });
  });

  it('puts the content warning before the text', () => {
    const warned = withField(status, 'spoiler_text', 'price talk');
    expect(asTweet(normalizeParsed(warned)).text.startsWith('price talk\n\nBuying more #BTC')).toBe(true);
  });

  it('keeps in_reply_to_id (local to the instance) as replyTo', () => {
    expect(asTweet(normalizeParsed(withField(status, 'in_reply_to_id', '1130')))).toMatchObject({
      replyTo: '1130',
    });
  });

  it.each([
    ['a uri that is no URL', withField(status, 'uri', 'tag:mastodon.social,2024:1'), 'bad_id'],
    ['a null uri', withField(status, 'uri', null), 'missing_id'],
    ['no created_at', withField(status, 'created_at', undefined), 'missing_created_at'],
    ['an account that is no object', withField(status, 'account', 'hodler'), 'missing_author'],
    ['an account without url', withField(status, 'account.url', undefined), 'missing_author'],
    ['negative followers', withField(status, 'account.followers_count', -1), 'bad_author'],
    ['a bad account created_at', withField(status, 'account.created_at', 'long ago'), 'bad_author'],
    ['a null content', withField(status, 'content', null), 'missing_text'],
    ['a content that is no string', withField(status, 'content', 5), 'bad_text'],
    ['a reblog that is no object', withField(status, 'reblog', 'x'), 'bad_reference'],
    ['a reblog without uri', withField(reblog, 'reblog.uri', undefined), 'bad_reference'],
    ['a language that is no string', withField(status, 'language', 3), 'bad_lang'],
    ['a string count', withField(status, 'favourites_count', '4'), 'bad_metrics'],
  ])('rejects %s', (_, value, reason) => {
    expect(normalizeParsed(value)).toMatchObject({ kind: 'dropped', stage: 'normalize', reason });
    expect(NORMALIZE_REASONS).toContain(reason);
  });

  it('rejects a text over the length limit after extraction', () => {
    expect(normalizeParsed(status, { maxTextLength: 20 })).toMatchObject({ reason: 'text_too_long' });
  });
});

describe('normalize recognises the source by shape', () => {
  it('treats an object of no known shape as missing data', () => {
    expect(normalizeParsed({ did: 'did:plc:a', kind: 'commit' })).toMatchObject({ reason: 'missing_data' });
    expect(normalizeParsed({ uri: 'https://a/b', content: '' })).toMatchObject({ reason: 'missing_data' });
  });

  it('reads X first: an object with data is X whatever else it holds', () => {
    expect(normalizeParsed({ ...post, data: [] })).toMatchObject({ reason: 'missing_data' });
  });
});

describe('normalize never throws on Jetstream and Mastodon shapes', () => {
  const isResult = (r: Tweet | Dropped): boolean =>
    r.kind === 'tweet' || (r.kind === 'dropped' && r.stage === 'normalize');
  const jetstreamPaths = [
    'did',
    'kind',
    'commit',
    'commit.operation',
    'commit.rkey',
    'commit.record',
    'commit.record.text',
    'commit.record.createdAt',
    'commit.record.langs',
    'commit.record.facets',
    'commit.record.tags',
    'commit.record.reply',
    'commit.record.embed',
  ];
  const mastodonPaths = [
    'uri',
    'created_at',
    'content',
    'spoiler_text',
    'account',
    'account.url',
    'account.followers_count',
    'account.created_at',
    'reblog',
    'tags',
    'language',
    'quote',
    'in_reply_to_id',
    'reblogs_count',
  ];

  it('gives a tweet or a rejection for any value in any field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...jetstreamPaths), fc.anything(), (path, value) =>
        isResult(normalizeParsed(withField(reply, path, value))),
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...mastodonPaths), fc.anything(), (path, value) =>
        isResult(normalizeParsed(withField(reblog, path, value))),
      ),
    );
  });
});
