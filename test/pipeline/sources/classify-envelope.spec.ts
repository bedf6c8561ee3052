import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../../pipeline/sources/classify-envelope.js';
import { KEY_WORDS, postKey } from '../../../pipeline/sources/post-key.js';

const line = (data: Record<string, unknown>): string => JSON.stringify({ data });

describe('classifyLine', () => {
  it('keys a short tweet by its id', () => {
    const item = classifyLine(
      line({ id: '11', text: 'hi', created_at: '2026-01-01T00:00:00Z' }),
      'file',
      'f:1',
    );
    expect(item).toMatchObject({ kind: 'envelope', id: '11', key: '11', createdAt: Date.UTC(2026, 0, 1) });
  });

  it('keys a short retweet by its original so both land in one partition', () => {
    const retweet = line({
      id: '12',
      text: 'RT @a: hi',
      referenced_tweets: [{ type: 'retweeted', id: '11' }],
    });
    expect(classifyLine(retweet, 'file', 'f:2')).toMatchObject({ id: '12', key: '11' });
    const quote = line({ id: '13', text: 'so true', referenced_tweets: [{ type: 'quoted', id: '11' }] });
    expect(classifyLine(quote, 'file', 'f:3')).toMatchObject({ id: '13', key: '13' });
  });

  it('ignores a malformed reference and keys by the id', () => {
    const odd = line({ id: '14', text: 'x', referenced_tweets: [{ type: 'retweeted', id: 'nope' }] });
    expect(classifyLine(odd, 'file', 'f:4')).toMatchObject({ key: '14' });
  });

  it('rejects lines that are not envelopes, with where they came from', () => {
    expect(classifyLine('{', 'file', 'f:5')).toMatchObject({ kind: 'reject', reason: 'invalid_json' });
    expect(classifyLine(line({ text: 'no id' }), 'file', 'f:6')).toMatchObject({
      kind: 'reject',
      reason: 'missing_id',
      detail: expect.stringContaining('f:6'),
    });
  });
});

describe('classifyLine on Bluesky and Mastodon payloads (by shape)', () => {
  const jetstream = (record: Record<string, unknown> | undefined, rkey = '3l3q') =>
    JSON.stringify({
      did: 'did:plc:abc',
      time_us: 1_725_911_162_329_308,
      kind: 'commit',
      commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey, record },
    });
  const status = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: '2',
      uri: 'https://m.example/users/a/statuses/2',
      created_at: '2024-09-09T20:00:00.000Z',
      content: '<p>$BTC</p>',
      account: { url: 'https://m.example/@a' },
      ...extra,
    });

  it('keys a Jetstream post by its AT URI, timed by createdAt (else time_us), under its own source', () => {
    const text = jetstream({ text: '$BTC', createdAt: '2024-09-09T19:46:02.102Z' });
    expect(classifyLine(text, 'file', 'f:1')).toEqual({
      kind: 'envelope',
      id: 'at://did:plc:abc/app.bsky.feed.post/3l3q',
      key: 'at://did:plc:abc/app.bsky.feed.post/3l3q',
      createdAt: Date.parse('2024-09-09T19:46:02.102Z'),
      json: text,
      source: 'bluesky',
    });
    expect(classifyLine(jetstream({ text: 'x' }), 'file', 'f:2')).toMatchObject({
      createdAt: 1_725_911_162_329,
    });
  });

  it('keys a Mastodon status by its uri, a reblog by the reblogged uri', () => {
    expect(classifyLine(status(), 'file', 'f:3')).toMatchObject({
      id: 'https://m.example/users/a/statuses/2',
      key: 'https://m.example/users/a/statuses/2',
      createdAt: Date.parse('2024-09-09T20:00:00.000Z'),
      source: 'mastodon',
    });
    const reblog = status({ content: '', reblog: { uri: 'https://o.example/s/1', content: '<p>hi</p>' } });
    expect(classifyLine(reblog, 'file', 'f:4')).toMatchObject({
      id: 'https://m.example/users/a/statuses/2',
      key: 'https://o.example/s/1',
    });
  });

  it('rejects a Jetstream event that is no post and a status without content', () => {
    expect(classifyLine(jetstream(undefined), 'file', 'f:5')).toMatchObject({ reason: 'missing_text' });
    const identity = JSON.stringify({ did: 'did:plc:abc', time_us: 1, kind: 'identity', identity: {} });
    expect(classifyLine(identity, 'file', 'f:6')).toMatchObject({ reason: 'not_a_post', source: 'file' });
    expect(classifyLine(status({ content: 7 }), 'file', 'f:7')).toMatchObject({ reason: 'missing_text' });
  });
});

describe('the tweets.raw key (post-key.ts): copies, reposts and cross-posts share a partition', () => {
  const said = 'Buying more $BTC, this dip is a gift for long-term holders';
  const at = (n: number) => `2024-09-09T20:0${n}:00.000Z`;
  const x = (id: string, text: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ data: { id, text, created_at: at(0), author_id: '1', ...extra }, ...extra.envelope! });
  const bluesky = (text: string) =>
    JSON.stringify({
      did: 'did:plc:abc',
      time_us: 1_725_911_162_329_308,
      kind: 'commit',
      commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: '3l3q', record: { text } },
    });
  const mastodon = (content: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: '2',
      uri: 'https://m.example/users/a/statuses/2',
      created_at: at(1),
      content,
      account: { url: 'https://m.example/@a' },
      ...extra,
    });
  const keyOf = (payload: string): string => {
    const item = classifyLine(payload, 'file', 'spec');
    if (item.kind !== 'envelope') throw new Error(item.detail);
    return item.key;
  };

  it('gives the same post on X, Bluesky and Mastodon one key, though ids, links, markup and tails differ', () => {
    const key = keyOf(x('21', said));
    expect(key).toBe(postKey(said, '21'));
    expect(key).not.toBe('21');
    expect(keyOf(bluesky(`${said} 🚀 https://bsky.app/x #bitcoin`))).toBe(key);
    expect(
      keyOf(
        mastodon(
          `<p>Buying <b>more</b> $BTC, this dip is a gift for long&#8209;term… <a href="https://m.example/tags/btc" class="mention hashtag">#<span>btc</span></a></p>`,
        ),
      ),
    ).toBe(key);
    // X escapes & < > in its text; the key reads the text as written, as normalize does.
    const amp = 'Buying $BTC & $ETH, this dip is a gift';
    expect(keyOf(x('25', amp.replace('&', '&amp;')))).toBe(keyOf(bluesky(amp)));
    // Another post keeps its own key.
    expect(keyOf(x('22', 'Selling all my $BTC, this dip is a trap for everyone'))).not.toBe(key);
  });

  it('keys a retweet by the text of its original, included or not, and a reblog by the reblogged text', () => {
    const key = keyOf(x('21', said));
    const retweet = (includes: unknown) =>
      JSON.stringify({
        data: {
          id: '23',
          text: `RT @hodler: ${said.slice(0, 40)}…`,
          referenced_tweets: [{ type: 'retweeted', id: '21' }],
        },
        ...(includes === undefined ? {} : { includes }),
      });
    expect(keyOf(retweet(undefined))).toBe(key);
    expect(keyOf(retweet({ tweets: [{ id: '21', text: said }] }))).toBe(key);
    const reblog = mastodon('', { reblog: { uri: 'https://o.example/s/1', content: `<p>${said}</p>` } });
    expect(keyOf(reblog)).toBe(key);
  });

  it(`falls back to the post id (an original's for a repost) below ${KEY_WORDS} words`, () => {
    expect(keyOf(x('24', '$BTC to the moon'))).toBe('24');
    expect(keyOf(bluesky('$BTC to the moon'))).toBe('at://did:plc:abc/app.bsky.feed.post/3l3q');
    const reblog = mastodon('', { reblog: { uri: 'https://o.example/s/1', content: '<p>hi</p>' } });
    expect(keyOf(reblog)).toBe('https://o.example/s/1');
  });
});
