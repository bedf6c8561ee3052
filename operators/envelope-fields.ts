/**
 * Field-by-field validation for normalize (X API v2 mostly; time, text and counts serve every source):
 * each helper returns the value or throws FieldError.
 */
import { xPlainText } from './html-text.js';
import { dropped, type NormalizeReason } from './tally-drops.js';
import type { Dropped, TweetMetrics } from './types.js';

export type Obj = Record<string, unknown>;
// A rejection raised deep inside validation; caught once in normalizeParsed, never escapes.
export class FieldError {
  constructor(
    readonly reason: NormalizeReason,
    readonly detail: string,
  ) {}
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
export const NO_METRICS: TweetMetrics = { retweets: 0, replies: 0, likes: 0, quotes: 0 };
export const NO_TAGS: readonly string[] = [];

/** The rejection for an error caught by a per-source normalizer, with the id and time read so far. */
export function rejected(error: unknown, id: string | null, createdAt: number | null): Dropped {
  if (error instanceof FieldError) return dropped('normalize', error.reason, error.detail, id, createdAt);
  // Unreachable by design; still a rejection rather than a crash of the pipeline.
  return dropped('normalize', 'invalid_json', String(error).slice(0, 200), id, createdAt);
}

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return value === undefined ? 'missing' : typeof value;
}

export function tweetId(
  value: unknown,
  missing: NormalizeReason,
  bad: NormalizeReason,
  field: string,
): string {
  if (value === undefined || value === null) throw new FieldError(missing, `${field} is missing`);
  if (typeof value !== 'string' || !isIdDigits(value))
    throw new FieldError(bad, `${field} is not a numeric id string`);
  return value;
}

// /^[0-9]{1,20}$/ without a regex (three ids per envelope).
function isIdDigits(value: string): boolean {
  if (value.length < 1 || value.length > 20) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function time(value: unknown, field: string, bad: NormalizeReason = 'bad_created_at'): number {
  if (value === undefined || value === null) {
    throw new FieldError(bad === 'bad_created_at' ? 'missing_created_at' : bad, `${field} is missing`);
  }
  if (typeof value !== 'string') throw new FieldError(bad, `${field} is not an ISO-8601 time`);
  const fast = parseIsoUtcMillis(value);
  if (fast >= 0) return fast;
  if (!ISO_TIME.test(value)) throw new FieldError(bad, `${field} is not an ISO-8601 time`);
  const ms = Date.parse(value);
  // Date.parse rolls 2026-02-30 over into March; a calendar check keeps such dates out.
  if (!Number.isFinite(ms) || digits(value, 8, 2) > daysInMonth(digits(value, 0, 4), digits(value, 5, 2)))
    throw new FieldError(bad, `${field} is not a valid date`);
  return ms;
}

// The shape X sends, 'YYYY-MM-DDTHH:MM:SS.sssZ', parsed without a regex; -1 for anything else.
function parseIsoUtcMillis(v: string): number {
  if (v.length !== 24 || v.charCodeAt(23) !== 90 || v.charCodeAt(10) !== 84 || v.charCodeAt(19) !== 46)
    return -1;
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58)
    return -1;
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 2);
  const day = digits(v, 8, 2);
  const hour = digits(v, 11, 2);
  const minute = digits(v, 14, 2);
  const second = digits(v, 17, 2);
  const milli = digits(v, 20, 3);
  if ((year | month | day | hour | minute | second | milli) < 0) return -1;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return -1;
  if (day > daysInMonth(year, month)) return -1;
  // Date.UTC reads years 0-99 as 1900-1999; those (and all before 1970) take the slow path anyway.
  if (year < 1970) return Date.UTC(year, month - 1, day, hour, minute, second, milli);
  return ((daysSinceEpoch(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milli;
}

// Days from 1970-01-01 to a proleptic Gregorian date, by whole 400-year eras (H. Hinnant's
// days_from_civil): what Date.UTC computes, in plain arithmetic, about 4x faster.
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digits(v: string, from: number, length: number): number {
  let out = 0;
  for (let i = from; i < from + length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    out = out * 10 + d;
  }
  return out;
}

// String.prototype.isWellFormed (ES2024, in Node 20; not in our ES2023 lib types): V8's own scan for an
// unpaired surrogate, immediate for a one-byte string.
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

export function tweetText(data: Obj, maxText: number): string {
  // Long posts carry their full text in note_tweet; `text` is then a truncated preview. Both come with
  // &, < and > escaped.
  const note = data.note_tweet;
  const text = isObj(note) && typeof note.text === 'string' ? note.text : data.text;
  if (text === undefined || text === null) throw new FieldError('missing_text', 'text is missing');
  if (typeof text !== 'string') throw new FieldError('bad_text', 'text is not a string');
  return checkedText(xPlainText(text), maxText);
}

/** A post's text within the length limit and free of unpaired surrogates (every source). */
export function checkedText(text: string, maxText: number): string {
  if (text.length > maxText) throw new FieldError('text_too_long', `${text.length} > ${maxText} characters`);
  if (!isWellFormed(text)) throw new FieldError('bad_text', 'text holds an unpaired surrogate');
  return text;
}

export function references(value: unknown): {
  retweetOf: string | null;
  quoteOf: string | null;
  replyTo: string | null;
} {
  const refs = {
    retweetOf: null as string | null,
    quoteOf: null as string | null,
    replyTo: null as string | null,
  };
  if (value === undefined || value === null) return refs;
  if (!Array.isArray(value)) throw new FieldError('bad_reference', 'referenced_tweets is not an array');
  for (const ref of value) {
    if (!isObj(ref)) throw new FieldError('bad_reference', 'a referenced tweet is not an object');
    const refId = tweetId(ref.id, 'bad_reference', 'bad_reference', 'referenced_tweets[].id');
    if (ref.type === 'retweeted') refs.retweetOf = refId;
    else if (ref.type === 'quoted') refs.quoteOf = refId;
    else if (ref.type === 'replied_to') refs.replyTo = refId;
    else throw new FieldError('bad_reference', 'referenced_tweets[].type is unknown');
  }
  return refs;
}

export function findById(list: unknown, id: string, field: string): Obj | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw new FieldError('bad_includes', `${field} is not an array`);
  for (const item of list) if (isObj(item) && item.id === id) return item;
  return undefined;
}

export function count(value: unknown, reason: NormalizeReason, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FieldError(reason, `${field} is not a non-negative number`);
  }
  return value;
}

export function followers(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (!isObj(value)) throw new FieldError('bad_author', 'user.public_metrics is not an object');
  if (value.followers_count === undefined) return null;
  return count(value.followers_count, 'bad_author', 'followers_count');
}

export function metrics(value: unknown): TweetMetrics {
  if (value === undefined || value === null) return NO_METRICS;
  if (!isObj(value)) throw new FieldError('bad_metrics', 'public_metrics is not an object');
  return {
    retweets: count(value.retweet_count, 'bad_metrics', 'retweet_count'),
    replies: count(value.reply_count, 'bad_metrics', 'reply_count'),
    likes: count(value.like_count, 'bad_metrics', 'like_count'),
    quotes: count(value.quote_count, 'bad_metrics', 'quote_count'),
  };
}

export function ruleTags(value: unknown): readonly string[] {
  if (value === undefined || value === null) return NO_TAGS;
  if (!Array.isArray(value)) throw new FieldError('bad_rules', 'matching_rules is not an array');
  // Built from a one-element literal: push on an empty array reserves room for 17 (usually there is one tag).
  let tags: string[] | null = null;
  for (const rule of value) {
    if (!isObj(rule)) throw new FieldError('bad_rules', 'a matching rule is not an object');
    if (typeof rule.tag !== 'string') continue;
    if (tags === null) tags = [rule.tag];
    else tags.push(rule.tag);
  }
  return tags ?? [];
}
