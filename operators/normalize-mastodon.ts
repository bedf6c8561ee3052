/**
 * normalize for Mastodon: one Status JSON (a streaming `update` or a timeline item) -> Tweet.
 *
 * The id is the status `uri` (global, unlike the instance-local `id`); the author is the account's `url`
 * (global too; `acct` is the username). The text is the content's HTML as a reader sees it (html-text.ts),
 * after the content warning (`spoiler_text`) when there is one. A reblog counts like an X retweet:
 * `retweetOf` is the reblogged status's `uri`, the text is the reblogged status's. `replyTo` is
 * `in_reply_to_id`, an id local to the instance that served the status (Mastodon sends no reply URI).
 * Engagement: reblogs_count -> retweets, favourites_count -> likes, replies_count -> replies (a reblog's
 * are the reblogged status's, as X reports a retweet's); the account's followers_count and created_at
 * feed the weight and the filter's account checks as X's do.
 */
import {
  checkedText,
  count,
  FieldError,
  isObj,
  kindOf,
  NO_TAGS,
  type Obj,
  rejected,
  time,
} from './envelope-fields.js';
import { htmlText } from './html-text.js';
import { appendMissingTags } from './post-tags.js';
import type { Dropped, Tweet, TweetMetrics } from './types.js';

const MAX_URI = 2048;
const MAX_TAGS = 16;

/** A Mastodon Status (`uri`, `content` and `account` present) -> Tweet, or a normalize rejection. Never throws. */
export function normalizeMastodon(value: Obj, maxText: number): Tweet | Dropped {
  let id: string | null = null;
  let createdAt: number | null = null;
  try {
    id = uri(value.uri, 'missing_id', 'bad_id', 'uri');
    createdAt = time(value.created_at, 'created_at');
    const account = value.account;
    if (!isObj(account)) throw new FieldError('missing_author', `account is ${kindOf(account)}`);
    const authorId = uri(account.url, 'missing_author', 'bad_author', 'account.url');
    const reblog = value.reblog;
    if (reblog !== undefined && reblog !== null && !isObj(reblog))
      throw new FieldError('bad_reference', 'reblog is not an object');
    // A reblog's own content is empty: the reblogged status holds the text, language and tags.
    const post = isObj(reblog) ? reblog : value;
    const retweetOf = isObj(reblog) ? uri(reblog.uri, 'bad_reference', 'bad_reference', 'reblog.uri') : null;
    const lang = post.language;
    if (lang !== undefined && lang !== null && typeof lang !== 'string')
      throw new FieldError('bad_lang', 'language is not a string');
    const username = account.acct;
    return {
      kind: 'tweet',
      id,
      source: 'mastodon',
      text: checkedText(statusText(post), maxText),
      createdAt,
      authorId,
      authorUsername: typeof username === 'string' && username !== '' ? username : null,
      authorFollowers:
        account.followers_count === undefined || account.followers_count === null
          ? null
          : count(account.followers_count, 'bad_author', 'account.followers_count'),
      authorCreatedAt:
        account.created_at === undefined || account.created_at === null
          ? null
          : time(account.created_at, 'account.created_at', 'bad_author'),
      lang: typeof lang === 'string' && lang !== '' && lang !== 'und' ? lang : null,
      metrics: engagement(post),
      retweetOf,
      quoteOf: quoteUri(post.quote),
      replyTo: localId(value.in_reply_to_id),
      ruleTags: NO_TAGS,
    };
  } catch (error) {
    return rejected(error, id, createdAt);
  }
}

function uri(
  value: unknown,
  missing: 'missing_id' | 'missing_author' | 'bad_reference',
  bad: 'bad_id' | 'bad_author' | 'bad_reference',
  field: string,
): string {
  if (value === undefined || value === null) throw new FieldError(missing, `${field} is missing`);
  if (typeof value !== 'string' || !isHttpUri(value))
    throw new FieldError(bad, `${field} is not an http(s) URI`);
  return value;
}

// http(s)://, at most 2048 characters, no whitespace or control characters.
function isHttpUri(s: string): boolean {
  if (s.length > MAX_URI || !(s.startsWith('https://') || s.startsWith('http://'))) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 0x7f) return false;
  }
  return s.length > (s.charCodeAt(4) === 115 ? 8 : 7);
}

function statusText(post: Obj): string {
  const content = post.content;
  if (content === undefined || content === null) throw new FieldError('missing_text', 'content is missing');
  if (typeof content !== 'string') throw new FieldError('bad_text', 'content is not a string');
  const spoiler = post.spoiler_text;
  if (spoiler !== undefined && spoiler !== null && typeof spoiler !== 'string')
    throw new FieldError('bad_text', 'spoiler_text is not a string');
  const body = htmlText(content);
  // spoiler_text is plain text (Mastodon escapes nothing in it).
  const text = typeof spoiler === 'string' && spoiler.trim() !== '' ? `${spoiler.trim()}\n\n${body}` : body;
  return appendMissingTags(text, tagNames(post.tags));
}

function tagNames(tags: unknown): string[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw new FieldError('bad_text', 'tags is not an array');
  const names: string[] = [];
  for (const tag of tags) {
    if (names.length >= MAX_TAGS) break;
    if (isObj(tag) && typeof tag.name === 'string') names.push(tag.name);
  }
  return names;
}

function engagement(status: Obj): TweetMetrics {
  return {
    retweets: count(status.reblogs_count, 'bad_metrics', 'reblogs_count'),
    replies: count(status.replies_count, 'bad_metrics', 'replies_count'),
    likes: count(status.favourites_count, 'bad_metrics', 'favourites_count'),
    quotes: 0,
  };
}

// Mastodon 4.5 quotes: `quote: {state, quoted_status: Status | null}`.
function quoteUri(quote: unknown): string | null {
  if (!isObj(quote) || !isObj(quote.quoted_status)) return null;
  return uri(quote.quoted_status.uri, 'bad_reference', 'bad_reference', 'quote.quoted_status.uri');
}

function localId(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '' || value.length > 64)
    throw new FieldError('bad_reference', 'in_reply_to_id is not an id string');
  return value;
}
