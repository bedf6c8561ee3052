import type { TweetSource } from './types.js';

/**
 * The source a post id belongs to, from its form alone (normalize gives each source its own): X a numeric
 * id, Bluesky an `at://` URI, Mastodon an `http(s)://` status URI; '' for anything else (no id, e.g.
 * a payload that was no JSON). Lets the accounting name the source of a drop, which carries only the id.
 *
 * Example: sourceOfId('at://did:plc:abc/app.bsky.feed.post/3l3q') -> 'bluesky'
 */
export function sourceOfId(id: string | null): TweetSource | '' {
  if (id === null || id === '') return '';
  if (id.startsWith('at://')) return 'bluesky';
  if (id.startsWith('https://') || id.startsWith('http://')) return 'mastodon';
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return '';
  }
  return 'x';
}
