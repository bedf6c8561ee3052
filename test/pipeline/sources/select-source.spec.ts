import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.js';
import { parseSourceSpec } from '../../../pipeline/sources/select-source.js';

describe('parseSourceSpec', () => {
  it.each([
    [undefined, true, { kind: 'x-stream' }],
    [undefined, false, { kind: 'synthetic' }],
    ['x-search', true, { kind: 'x-search' }],
    ['synthetic', true, { kind: 'synthetic' }],
    ['file:/tmp/a b.ndjson', false, { kind: 'file', path: '/tmp/a b.ndjson' }],
    ['bluesky', false, { kind: 'bluesky' }],
    ['mastodon:Mastodon.Social', false, { kind: 'mastodon', baseUrl: 'https://mastodon.social' }],
    ['mastodon:http://127.0.0.1:8080', false, { kind: 'mastodon', baseUrl: 'http://127.0.0.1:8080' }],
  ] as const)('%s (token: %s)', (spec, hasToken, expected) => {
    expect(parseSourceSpec(spec, hasToken)).toEqual(expected);
  });

  it.each(['file:', 'kafka', 'x_stream', 'mastodon:', 'mastodon:not a host', 'mastodon:https://a.b/path'])(
    'refuses %s with a configuration error',
    (spec) => {
      expect(() => parseSourceSpec(spec, true)).toThrow(ConfigError);
    },
  );
});
