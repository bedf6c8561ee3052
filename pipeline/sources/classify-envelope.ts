/**
 * Decides whether a received payload is a usable post (-> tweets.raw) or unusable (-> tweets.dlq with a
 * reason). Deliberately shallow: only what Kafka needs (an id for the key, created_at for the timestamp)
 * and a text; everything else is normalize's business downstream. Payloads are told apart by shape, as
 * normalize tells them: X v2 (`data`), a Bluesky Jetstream event (`did`, `time_us`, `kind`) or a Mastodon
 * Status (`uri`, `content`, `account`). Jetstream and Mastodon payloads keep their own source (so a file
 * replay of an export writes them with the source header and key they had); X payloads take the caller's.
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
  if (isRecord(parsed) && parsed.data === undefined) {
    if (parsed.did !== undefined && parsed.time_us !== undefined && parsed.kind !== undefined)
      return jetstreamPost(parsed, json, reject);
    if (parsed.uri !== undefined && parsed.content !== undefined && parsed.account !== undefined)
      return mastodonStatus(parsed, json, reject);
  }
  if (!isRecord(parsed) || !isRecord(parsed.data)) return reject('not_an_envelope', 'no "data" object');
  const { id, text, created_at: createdAt } = parsed.data;
  if (typeof id !== 'string' || !TWEET_ID.test(id)) return reject('missing_id', 'data.id is not a tweet id');
  if (typeof text !== 'string') return reject('missing_text', `tweet ${id} has no text`);
  const time = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  const key = retweetedId(parsed.data.referenced_tweets) ?? id;
  return { kind: 'envelope', id, key, createdAt: Number.isFinite(time) ? time : null, json, source };
}

type Reject = (reason: string, detail: string) => RejectItem;

// Key and id `at://<did>/app.bsky.feed.post/<rkey>`; time record.createdAt, else time_us.
function jetstreamPost(
  event: Record<string, unknown>,
  json: string,
  reject: Reject,
): EnvelopeItem | RejectItem {
  const commit = event.commit;
  if (
    typeof event.did !== 'string' ||
    !isRecord(commit) ||
    typeof commit.rkey !== 'string' ||
    commit.rkey === ''
  )
    return reject('missing_id', 'not a Jetstream post commit (no did or rkey)');
  const record = commit.record;
  if (!isRecord(record) || typeof record.text !== 'string')
    return reject('missing_text', `post ${commit.rkey} has no record.text`);
  const id = `at://${event.did}/app.bsky.feed.post/${commit.rkey}`;
  const parsed = typeof record.createdAt === 'string' ? Date.parse(record.createdAt) : Number.NaN;
  const micros = typeof event.time_us === 'number' ? Math.floor(event.time_us / 1000) : null;
  const createdAt = Number.isFinite(parsed) ? parsed : micros;
  return { kind: 'envelope', id, key: id, createdAt, json, source: 'bluesky' };
}

// Id the status uri; key the reblogged status's uri for a reblog (as a retweet is keyed by its original).
function mastodonStatus(
  status: Record<string, unknown>,
  json: string,
  reject: Reject,
): EnvelopeItem | RejectItem {
  const original = isRecord(status.reblog) ? status.reblog : status;
  if (
    typeof status.uri !== 'string' ||
    status.uri === '' ||
    typeof original.uri !== 'string' ||
    original.uri === ''
  )
    return reject('missing_id', 'status has no uri');
  if (typeof original.content !== 'string')
    return reject('missing_text', `status ${status.uri} has no content`);
  const time = typeof status.created_at === 'string' ? Date.parse(status.created_at) : Number.NaN;
  const createdAt = Number.isFinite(time) ? time : null;
  return { kind: 'envelope', id: status.uri, key: original.uri, createdAt, json, source: 'mastodon' };
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
