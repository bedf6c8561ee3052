import { describe, expect, it } from 'vitest';
import { sourceOfId } from '../../operators/source-of-id.js';

describe('sourceOfId', () => {
  it.each([
    ['1800000000000000001', 'x'],
    ['at://did:plc:abc/app.bsky.feed.post/3l3q', 'bluesky'],
    ['https://mastodon.social/users/a/statuses/1', 'mastodon'],
    ['http://small.example/users/a/statuses/1', 'mastodon'],
    ['', ''],
    [null, ''],
    ['12a', ''],
  ])('names the source of %j: %j', (id, source) => {
    expect(sourceOfId(id)).toBe(source);
  });
});
