/**
 * Decides whether a received payload is a usable post (-> tweets.raw) or unusable (-> tweets.dlq with a
 * reason). Deliberately shallow: only what Kafka needs (a key from the text, post-key.ts; created_at for
 * the timestamp) and a text; everything else is normalize's business downstream. Payloads are told apart by shape, as
 * normalize tells them: X v2 (`data`), a Bluesky Jetstream event (`did`, `time_us`, `kind`) or a Mastodon
 * Status (`uri`, `content`, `account`). Jetstream and Mastodon payloads keep their own source (so a file
 * replay of an export writes them with the source header and key they had); X payloads take the caller's.
 */
import { tweetText } from '../../operators/envelope-fields.js';
import { xPlainText } from '../../operators/html-text.js';
import { textSource } from '../../operators/normalize-x.js';
import { classifyJetstreamEvent } from './jetstream-event.js';
import { classifyStatus } from './mastodon-status.js';
import { postKey } from './post-key.js';
import type { EnvelopeItem, RejectItem, SourceKind } from './types.js';

type Reject = (reason: string, detail: string) => RejectItem;

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
  const reject: Reject = (reason, detail) => ({
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
      return mastodonStatus(parsed, json, where, source);
  }
  if (!isRecord(parsed) || !isRecord(parsed.data)) return reject('not_an_envelope', 'no "data" object');
  const { id, text, created_at: createdAt } = parsed.data;
  if (typeof id !== 'string' || !TWEET_ID.test(id)) return reject('missing_id', 'data.id is not a tweet id');
  if (typeof text !== 'string') return reject('missing_text', `tweet ${id} has no text`);
  const time = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  const originalId = retweetedId(parsed.data.referenced_tweets);
  const key = postKey(keyText(parsed, parsed.data, originalId, text), originalId ?? id);
  return { kind: 'envelope', id, key, createdAt: Number.isFinite(time) ? time : null, json, source };
}

/** A Jetstream event in a file: only a post is an envelope (an export holds nothing else). */
function jetstreamPost(event: unknown, json: string, reject: Reject): EnvelopeItem | RejectItem {
  const outcome = classifyJetstreamEvent(event, json);
  if (outcome.kind === 'post') return outcome.item;
  if (outcome.kind === 'ignored') return reject('not_a_post', `a Jetstream ${outcome.reason} event`);
  return reject(outcome.reason, outcome.detail);
}

/** A Mastodon Status in a file: keyed and timed as the streaming source does it. */
function mastodonStatus(
  status: unknown,
  json: string,
  where: string,
  source: SourceKind,
): EnvelopeItem | RejectItem {
  const outcome = classifyStatus(json, where, status);
  return outcome.kind === 'status' ? outcome.item : { ...outcome, source };
}

function retweetedId(references: unknown): string | undefined {
  if (!Array.isArray(references)) return undefined;
  const retweeted = references.find((r) => isRecord(r) && r.type === 'retweeted') as
    | Record<string, unknown>
    | undefined;
  return typeof retweeted?.id === 'string' && TWEET_ID.test(retweeted.id) ? retweeted.id : undefined;
}

/**
 * The text normalize reads (normalize-x.ts textSource and tweetText: a retweet's original when included,
 * X's escapes undone), else the post's own text; a retweet's own text without its "RT @user: " opening.
 */
function keyText(
  envelope: Record<string, unknown>,
  data: Record<string, unknown>,
  originalId: string | undefined,
  text: string,
): string {
  try {
    const includes = isRecord(envelope.includes) ? envelope.includes : undefined;
    const source = textSource(data, includes, originalId ?? null);
    if (source !== data) return tweetText(source, Number.POSITIVE_INFINITY);
  } catch {
    // Unreadable includes or original text: normalize rejects the post; its own text keys it.
  }
  return xPlainText(originalId === undefined ? text : text.replace(/^RT @\w+: /, ''));
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
