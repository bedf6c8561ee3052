/**
 * Decides whether a received payload is a usable X v2 envelope (-> tweets.raw) or unusable
 * (-> tweets.dlq with a reason). Deliberately shallow: only what Kafka needs (an id for the key,
 * created_at for the timestamp) and a text; everything else is normalize's business downstream.
 */
import type { EnvelopeItem, RejectItem, SourceKind } from './types.js';

const TWEET_ID = /^\d{1,19}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Classifies an already parsed payload; `json` is its text as received. */
export function classifyEnvelope(
  parsed: unknown,
  json: string,
  source: SourceKind,
  where: string,
): EnvelopeItem | RejectItem {
  const reject = (reason: string, detail: string): RejectItem => ({
    kind: 'reject',
    reason,
    detail: `${where}: ${detail}`,
    payload: json,
    source,
  });
  if (!isRecord(parsed) || !isRecord(parsed.data)) return reject('not_an_envelope', 'no "data" object');
  const { id, text, created_at: createdAt } = parsed.data;
  if (typeof id !== 'string' || !TWEET_ID.test(id)) return reject('missing_id', 'data.id is not a tweet id');
  if (typeof text !== 'string') return reject('missing_text', `tweet ${id} has no text`);
  const time = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  const key = retweetedId(parsed.data.referenced_tweets) ?? id;
  return { kind: 'envelope', id, key, createdAt: Number.isFinite(time) ? time : null, json, source };
}

function retweetedId(references: unknown): string | undefined {
  if (!Array.isArray(references)) return undefined;
  const retweeted = references.find((r) => isRecord(r) && r.type === 'retweeted') as
    | Record<string, unknown>
    | undefined;
  return typeof retweeted?.id === 'string' && TWEET_ID.test(retweeted.id) ? retweeted.id : undefined;
}

/** Parses and classifies one line of text (NDJSON files, stream lines). */
export function classifyLine(line: string, source: SourceKind, where: string): EnvelopeItem | RejectItem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'reject', reason: 'invalid_json', detail: `${where}: ${message}`, payload: line, source };
  }
  return classifyEnvelope(parsed, line, source, where);
}
