/**
 * The Kafka key of a post in tweets.raw, which decides its partition. The process stage keeps dedupe
 * state per partition, so everything dedupe must compare has to share a partition:
 * - the same post delivered twice (search and stream overlap, a resumed cursor): same payload, same key;
 * - a retweet or reblog and its original: keyed by the original's text;
 * - a post cross-posted to X, Bluesky and Mastodon: the copies have different ids but open with the same
 *   words, so the key is a hash of the first {@link KEY_WORDS} words of the text dedupe sees (case,
 *   URLs, @mentions, punctuation and numbers ignored, as the near-duplicate SimHash ignores them).
 * A text with fewer words falls back to the post id (an original's, for a repost): short texts are
 * too common to say anything about copies, and dedupe never compares them as near duplicates anyway.
 * The words spread keys as well as ids do; a copy-paste spam wave shares one key, and so one
 * partition, which is where dedupe drops it.
 */
import { leadingWordsKey } from '../../operators/simhash.js';

/** Words of the opening that make the key. */
export const KEY_WORDS = 6;

/** `text`: the post's text as normalize will read it (for a repost, the original's); `id`: the fallback. */
export function postKey(text: string, id: string): string {
  return leadingWordsKey(text, KEY_WORDS) ?? id;
}
