/** normalize for X API v2: one filtered-stream message (or a search result in the same shape) -> Tweet. */
import {
  FieldError,
  findById,
  followers,
  isObj,
  kindOf,
  metrics,
  type Obj,
  references,
  rejected,
  ruleTags,
  time,
  tweetId,
  tweetText,
} from './envelope-fields.js';
import type { Dropped, Tweet } from './types.js';

/** An X v2 envelope (`value.data` is present) -> Tweet, or a normalize rejection. Never throws. */
export function normalizeX(value: Obj, maxText: number): Tweet | Dropped {
  let id: string | null = null;
  let createdAt: number | null = null;
  try {
    const data = value.data;
    if (!isObj(data)) throw new FieldError('missing_data', `data is ${kindOf(data)}`);
    id = tweetId(data.id, 'missing_id', 'bad_id', 'data.id');
    createdAt = time(data.created_at, 'data.created_at');
    const includes = value.includes;
    if (includes !== undefined && !isObj(includes))
      throw new FieldError('bad_includes', 'includes is not an object');
    const refs = references(data.referenced_tweets);
    const authorId = tweetId(data.author_id, 'missing_author', 'bad_author', 'data.author_id');
    let text = tweetText(data, maxText);
    const source = textSource(data, includes, refs.retweetOf);
    if (source !== data) text = tweetText(source, maxText);
    const user = findById(includes?.users, authorId, 'includes.users');
    const lang = data.lang;
    if (lang !== undefined && lang !== null && typeof lang !== 'string')
      throw new FieldError('bad_lang', 'lang is not a string');
    return {
      kind: 'tweet',
      id,
      source: 'x',
      text,
      createdAt,
      authorId,
      authorUsername: user !== undefined && typeof user.username === 'string' ? user.username : null,
      authorFollowers: user === undefined ? null : followers(user.public_metrics),
      authorCreatedAt:
        user === undefined || user.created_at === undefined
          ? null
          : time(user.created_at, 'user.created_at', 'bad_author'),
      lang: typeof lang === 'string' && lang !== '' && lang !== 'und' ? lang : null,
      metrics: metrics(data.public_metrics),
      retweetOf: refs.retweetOf,
      quoteOf: refs.quoteOf,
      replyTo: refs.replyTo,
      ruleTags: ruleTags(value.matching_rules),
    };
  } catch (error) {
    return rejected(error, id, createdAt);
  }
}

/**
 * The post whose text normalize reads (ingest keys by it too): a retweet's original when includes.tweets
 * carries its text, since data.text of a retweet is "RT @user: " plus a truncated copy; else the post
 * itself. Throws FieldError when includes.tweets is not an array.
 */
export function textSource(data: Obj, includes: Obj | undefined, retweetOf: string | null): Obj {
  if (retweetOf === null) return data;
  const original = findById(includes?.tweets, retweetOf, 'includes.tweets');
  return original !== undefined && (typeof original.text === 'string' || isObj(original.note_tweet))
    ? original
    : data;
}
