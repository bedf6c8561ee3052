import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../../pipeline/sources/classify-envelope.js';

const line = (data: Record<string, unknown>): string => JSON.stringify({ data });

describe('classifyLine', () => {
  it('keys a tweet by its id', () => {
    const item = classifyLine(
      line({ id: '11', text: 'hi', created_at: '2026-01-01T00:00:00Z' }),
      'file',
      'f:1',
    );
    expect(item).toMatchObject({ kind: 'envelope', id: '11', key: '11', createdAt: Date.UTC(2026, 0, 1) });
  });

  it('keys a retweet by its original so both land in one partition', () => {
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
