/**
 * The repartition topic between the split stages (`process --stage score` -> tweets.scored ->
 * `process --stage window`): one record per (tweet, symbol), keyed by symbol so that every tweet of a
 * symbol reaches the same window partition, and marks that carry a source partition's watermark to
 * every window partition (so quiet sources do not hold buckets open).
 *
 * Both carry `watermarkBefore`: the largest event time over every tweets.raw message of the source
 * partition before this point (dropped and rejected ones included), i.e. exactly what the single
 * process advances that partition's watermark with. The window stage therefore sees each source
 * partition's watermark move exactly as the single process does.
 */

import { InputError } from '../../../lib/errors.js';
import { type ScoredTweet, TWEET_SOURCES } from '../../../operators/index.js';
import type { OutgoingMessage } from '../../../sinks/kafka/producer.js';

/** A scored tweet restricted to one symbol (`tweet.symbols` is `[symbol]`), with its source position. */
export interface ScoredRecord {
  readonly kind: 'tweet';
  /** tweets.raw partition the tweet came from. */
  readonly source: number;
  /** Its offset there (decimal string). */
  readonly offset: string;
  /** Max event time of the source's messages before this one; null before any. */
  readonly watermarkBefore: number | null;
  readonly tweet: ScoredTweet;
}

/** A source partition's position: its watermark after every message it has consumed so far. */
export interface SourceMark {
  readonly kind: 'mark';
  readonly source: number;
  readonly watermarkBefore: number | null;
}

export type RepartitionItem = ScoredRecord | SourceMark;

const VERSION = 1;

/** The records for one scored tweet: one per symbol, keyed by symbol. */
export function scoredMessages(
  tweet: ScoredTweet,
  source: number,
  offset: string,
  watermarkBefore: number | null,
): OutgoingMessage[] {
  return tweet.symbols.map((symbol) => {
    const record: ScoredRecord = {
      kind: 'tweet',
      source,
      offset,
      watermarkBefore,
      tweet: { ...tweet, symbols: [symbol] },
    };
    return { key: symbol, value: encodeItem(record), timestamp: tweet.createdAt };
  });
}

/** One mark per partition of tweets.scored (explicit partitions: every window partition needs it). */
export function markMessages(
  mark: Omit<SourceMark, 'kind'>,
  partitions: readonly number[],
): OutgoingMessage[] {
  const value = encodeItem({ kind: 'mark', ...mark });
  return partitions.map((partition) => ({ key: null, value, partition }));
}

export function encodeItem(item: RepartitionItem): string {
  return JSON.stringify({ v: VERSION, ...item });
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);
const isTime = (x: unknown): x is number | null => x === null || typeof x === 'number';

/** Parses one tweets.scored value; anything else (another writer, a future version) is an InputError. */
export function decodeItem(value: Uint8Array | string | null, where: string): RepartitionItem {
  if (value === null) throw new InputError(where, 'empty tweets.scored message');
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : Buffer.from(value).toString('utf8'));
  } catch (error) {
    throw new InputError(where, 'tweets.scored message is not JSON', error);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InputError(where, 'not an object');
  const o = parsed as Record<string, unknown>;
  if (o.v !== VERSION) throw new InputError(where, `unknown record version ${String(o.v)}`);
  if (!isInt(o.source) || o.source < 0 || !isTime(o.watermarkBefore)) {
    throw new InputError(where, 'record without a valid source or watermarkBefore');
  }
  if (o.kind === 'mark') return { kind: 'mark', source: o.source, watermarkBefore: o.watermarkBefore };
  if (o.kind !== 'tweet') throw new InputError(where, `unknown record kind ${String(o.kind)}`);
  const t = o.tweet as Partial<ScoredTweet> | undefined;
  if (
    typeof o.offset !== 'string' ||
    !/^\d+$/.test(o.offset) ||
    typeof t !== 'object' ||
    t === null ||
    t.kind !== 'scored' ||
    typeof t.id !== 'string' ||
    typeof t.createdAt !== 'number' ||
    typeof t.score !== 'number' ||
    typeof t.weight !== 'number' ||
    typeof t.authorId !== 'string' ||
    !Array.isArray(t.symbols) ||
    t.symbols.length !== 1 ||
    (t.source !== undefined && !TWEET_SOURCES.includes(t.source))
  ) {
    throw new InputError(where, 'tweet record with a missing or malformed field');
  }
  return {
    kind: 'tweet',
    source: o.source,
    offset: o.offset,
    watermarkBefore: o.watermarkBefore,
    // Records written before tweets carried a source are X's, the only source there was.
    tweet: t.source === undefined ? ({ ...t, source: 'x' } as ScoredTweet) : (t as ScoredTweet),
  };
}
