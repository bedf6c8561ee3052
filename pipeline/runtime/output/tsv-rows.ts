/**
 * The two big tables' rows (tweets, intake) as TabSeparated text, for inserts that skip building one
 * object and one JSON document per row. ClickHouse reads the same values as from rows.ts's JSONEachRow:
 * numbers are written with the same text (String(n) is JSON.stringify(n) for finite numbers) and strings
 * unescape to the same characters. What TSV cannot say the same way (a string with a lone surrogate,
 * which JSON escapes as \uD800, or a non-finite number, which JSON writes as null) returns null: the
 * caller sends that row as JSON instead.
 */
import type { ScoredTweet } from '../../../operators/index.js';
import { tsvQuoted, tsvString } from '../../../sinks/clickhouse/tsv.js';
import type { IntakeRecord } from '../tally.js';

export const TWEET_COLUMNS = [
  'symbol',
  'created_at',
  'created_at_ms',
  'tweet_id',
  'author_id',
  'author_username',
  'author_followers',
  'lang',
  'text',
  'score',
  'weight',
  'likes',
  'retweets',
  'replies',
  'quotes',
  'retweet_of',
  'rule_tags',
  'source',
] as const;

export const INTAKE_COLUMNS = [
  'topic',
  'partition',
  'offset',
  'event_hour',
  'tweet_id',
  'outcome',
  'stage',
  'reason',
  'source',
] as const;

const LONE_SURROGATE = /\p{Cs}/u;

/** A TSV field; null when JSON would carry it differently (lone surrogate). */
function field(s: string): string | null {
  if (LONE_SURROGATE.test(s)) return null;
  return tsvString(s);
}

/** An Array(String) field: ['a','b'] with each element quoted. */
function stringArray(items: readonly string[]): string | null {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    const s = items[i]!;
    if (LONE_SURROGATE.test(s)) return null;
    if (i > 0) out += ',';
    out += tsvQuoted(s);
  }
  return `${out}]`;
}

const finite = (...values: number[]): boolean => values.every(Number.isFinite);

/** The tweet's rows (one per symbol, as tweetRows), each ending in a newline; null: send it as JSON. */
export function tweetRowsTsv(tweet: ScoredTweet): string | null {
  const followers = Math.min(tweet.authorFollowers ?? 0, 4_294_967_295);
  const { likes, retweets, replies, quotes } = tweet.metrics;
  if (!finite(tweet.createdAt, followers, tweet.score, tweet.weight, likes, retweets, replies, quotes))
    return null;
  const id = field(tweet.id);
  const author = field(tweet.authorId);
  const username = field(tweet.authorUsername ?? '');
  const lang = field(tweet.lang ?? '');
  const text = field(tweet.text);
  const retweetOf = field(tweet.retweetOf ?? '');
  const tags = stringArray(tweet.ruleTags);
  const source = field(tweet.source);
  if (
    source === null ||
    id === null ||
    author === null ||
    username === null ||
    lang === null ||
    text === null ||
    retweetOf === null ||
    tags === null
  ) {
    return null;
  }
  const rest =
    `\t${Math.floor(tweet.createdAt / 1000)}\t${tweet.createdAt}\t${id}\t${author}\t${username}\t${followers}` +
    `\t${lang}\t${text}\t${tweet.score}\t${tweet.weight}\t${likes}\t${retweets}\t${replies}\t${quotes}` +
    `\t${retweetOf}\t${tags}\t${source}\n`;
  let out = '';
  for (const symbol of tweet.symbols) {
    const s = field(symbol);
    if (s === null) return null;
    out += s + rest;
  }
  return out;
}

/** The intake row (as intakeRow), ending in a newline; null: send it as JSON. */
export function intakeRowTsv(topic: string, r: IntakeRecord): string | null {
  if (!Number.isFinite(r.eventTime)) return null;
  const t = field(topic);
  const id = field(r.tweetId);
  const stage = field(r.stage);
  const reason = field(r.reason);
  const source = field(r.source);
  if (t === null || id === null || stage === null || reason === null || source === null) return null;
  const hour = Math.floor(r.eventTime / 3_600_000) * 3_600;
  return `${t}\t${r.partition}\t${r.offset}\t${hour}\t${id}\t${r.outcome}\t${stage}\t${reason}\t${source}\n`;
}
