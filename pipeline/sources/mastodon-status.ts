/**
 * One Mastodon Status (JSON text as the streaming API or the REST timeline delivered it) -> an ingest
 * envelope or a rejection. Pure. The id is the status' `uri`; the key comes from the text (post-key.ts;
 * for a reblog the reblogged status' text, as X retweets are keyed by their original's); createdAt is
 * `created_at`. The text the rules and the key look at is the HTML content reduced to plain text by
 * normalize's own htmlText; tweets.raw keeps the JSON exactly as received and normalize extracts the
 * text downstream.
 */
import { htmlText } from '../../operators/html-text.js';
import { postKey } from './post-key.js';
import type { PostFacts } from './rule-match.js';
import type { EnvelopeItem, RejectItem } from './types.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export type StatusOutcome =
  | {
      readonly kind: 'status';
      readonly statusId: string;
      readonly item: EnvelopeItem;
      readonly facts: PostFacts;
    }
  | RejectItem;

/** Mastodon ids are decimal snowflakes (other servers: sortable strings): longer is newer, then by text. */
export function newerId(a: string, b: string | null): boolean {
  if (b === null) return true;
  return a.length !== b.length ? a.length > b.length : a > b;
}

export function classifyStatus(json: string, where: string, parsed?: unknown): StatusOutcome {
  const reject = (reason: string, detail: string): RejectItem => ({
    kind: 'reject',
    reason,
    detail: `${where}: ${detail}`,
    payload: json,
    source: 'mastodon',
  });
  let status: unknown = parsed;
  if (status === undefined) {
    try {
      status = JSON.parse(json);
    } catch (error) {
      return reject('invalid_json', (error as Error).message);
    }
  }
  if (!isRecord(status) || typeof status.id !== 'string' || status.id === '') {
    return reject('not_a_status', 'expected a Status object with an id');
  }
  const original = isRecord(status.reblog) ? status.reblog : status;
  if (typeof original.uri !== 'string' || original.uri === '')
    return reject('missing_id', `status ${status.id} has no uri`);
  if (typeof original.content !== 'string')
    return reject('missing_text', `status ${status.id} has no content`);
  const time = typeof status.created_at === 'string' ? Date.parse(status.created_at) : Number.NaN;
  // A reblog's own uri is its id (as a retweet keeps its own id); its key comes from the original's text.
  const id = typeof status.uri === 'string' && status.uri !== '' ? status.uri : original.uri;
  const facts = statusFacts(original, status !== original);
  return {
    kind: 'status',
    statusId: status.id,
    item: {
      kind: 'envelope',
      id,
      key: postKey(facts.text, original.uri),
      createdAt: Number.isFinite(time) ? time : null,
      json,
      source: 'mastodon',
    },
    facts,
  };
}

function statusFacts(status: Json, isRepost: boolean): PostFacts {
  const tags = Array.isArray(status.tags) ? status.tags : [];
  const spoiler =
    typeof status.spoiler_text === 'string' && status.spoiler_text !== '' ? `${status.spoiler_text}\n` : '';
  return {
    text: spoiler + htmlText(status.content as string),
    hashtags: tags.flatMap((t) => (isRecord(t) && typeof t.name === 'string' ? [t.name] : [])),
    langs: typeof status.language === 'string' ? [status.language] : [],
    hasLinks:
      isRecord(status.card) || /<a\s[^>]*href="https?:\/\/(?![^"]*\/tags\/)/i.test(status.content as string),
    hasMentions: Array.isArray(status.mentions) && status.mentions.length > 0,
    isReply: typeof status.in_reply_to_id === 'string',
    isQuote: isRecord(status.quote),
    isRepost,
  };
}
