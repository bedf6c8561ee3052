import {
  FieldError,
  findById,
  followers,
  isObj,
  kindOf,
  metrics,
  references,
  ruleTags,
  time,
  tweetId,
  tweetText,
} from './envelope-fields.js';
import { dropped, type NormalizeReason } from './tally-drops.js';
import type { Dropped, Tweet } from './types.js';

/** Limits for {@link normalizeEnvelope}; the defaults follow what X itself allows. */
export interface NormalizeOptions {
  /** Largest payload accepted, in bytes (UTF-8) for byte payloads, in UTF-16 units for strings. */
  readonly maxPayloadBytes?: number;
  /** Longest tweet text accepted, in UTF-16 units (X long posts go up to 25,000 characters). */
  readonly maxTextLength?: number;
}

export const DEFAULT_NORMALIZE_OPTIONS: Required<NormalizeOptions> = {
  maxPayloadBytes: 256 * 1024,
  maxTextLength: 25_000,
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Turns one payload as stored in Kafka (X API v2 JSON, bytes or string) into a Tweet, or into a
 * Dropped{stage:'normalize'} that says why not. Never throws, whatever the input.
 *
 * Example: normalizeEnvelope('{"data":{"id":"1","text":"$BTC up",...}}') -> { kind: 'tweet', id: '1', ... }
 * Cost: one strict UTF-8 decode and one JSON.parse; no state.
 */
export function normalizeEnvelope(
  payload: string | Uint8Array | null,
  options?: NormalizeOptions,
): Tweet | Dropped {
  if (payload === null) return reject('missing_data', 'message has no value (tombstone)');
  const maxBytes = options?.maxPayloadBytes ?? DEFAULT_NORMALIZE_OPTIONS.maxPayloadBytes;
  let text: string;
  if (typeof payload === 'string') {
    if (payload.length > maxBytes) return reject('payload_too_large', `${payload.length} > ${maxBytes}`);
    text = payload;
  } else if (payload instanceof Uint8Array) {
    if (payload.byteLength > maxBytes)
      return reject('payload_too_large', `${payload.byteLength} > ${maxBytes}`);
    try {
      text = utf8.decode(payload);
    } catch {
      return reject('invalid_utf8', 'payload is not valid UTF-8');
    }
  } else {
    return reject('not_an_object', `payload is ${typeof payload}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return reject('invalid_json', error instanceof Error ? error.message.slice(0, 200) : 'unparseable');
  }
  return normalizeParsed(value, options);
}

/** Like {@link normalizeEnvelope} for a payload that is already parsed (e.g. a source holding objects). */
export function normalizeParsed(value: unknown, options?: NormalizeOptions): Tweet | Dropped {
  const maxText = options?.maxTextLength ?? DEFAULT_NORMALIZE_OPTIONS.maxTextLength;
  let id: string | null = null;
  let createdAt: number | null = null;
  try {
    if (!isObj(value)) throw new FieldError('not_an_object', `envelope is ${kindOf(value)}`);
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
    if (refs.retweetOf !== null) {
      const original = findById(includes?.tweets, refs.retweetOf, 'includes.tweets');
      // data.text of a retweet is "RT @user: " plus a truncated copy; the original holds the full text.
      if (original !== undefined && (typeof original.text === 'string' || isObj(original.note_tweet))) {
        text = tweetText(original, maxText);
      }
    }
    const user = findById(includes?.users, authorId, 'includes.users');
    const lang = data.lang;
    if (lang !== undefined && lang !== null && typeof lang !== 'string')
      throw new FieldError('bad_lang', 'lang is not a string');
    return {
      kind: 'tweet',
      id,
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
    if (error instanceof FieldError) return dropped('normalize', error.reason, error.detail, id, createdAt);
    // Unreachable by design; still a rejection rather than a crash of the pipeline.
    return dropped('normalize', 'invalid_json', String(error).slice(0, 200), id, createdAt);
  }
}

function reject(reason: NormalizeReason, detail: string): Dropped {
  return dropped('normalize', reason, detail, null, null);
}
