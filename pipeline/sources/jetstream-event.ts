/**
 * One Jetstream message (the text of one WebSocket frame) -> what ingest does with it. Pure.
 * - a `commit` creating an `app.bsky.feed.post` that the rules match: an envelope whose JSON is the
 *   message text unchanged, id `at://<did>/app.bsky.feed.post/<rkey>`, key from its text (post-key.ts), createdAt from
 *   record.createdAt (time_us when that is missing or unreadable);
 * - such a post the rules do not match: `unmatched` (counted, not written);
 * - identity and account events, other collections, and the policy for changes to posts: a delete or
 *   an update (edit) of a post is `ignored` and counted. tweets.raw is an append-only record of what
 *   was said; an edit is not re-emitted (the post counted once, as first written) and a delete does not
 *   retract what was already scored;
 * - unreadable JSON, or a post without did, rkey or text: a rejection for the DLQ with its reason.
 * Every readable event carries its time_us, which moves the cursor.
 */
import { postKey } from './post-key.js';
import type { PostFacts } from './rule-match.js';
import type { EnvelopeItem, RejectItem } from './types.js';

export const POST_COLLECTION = 'app.bsky.feed.post';

export const JETSTREAM_IGNORED = [
  'identity',
  'account',
  'other_collection',
  'post_delete',
  'post_update',
  'unknown_kind',
] as const;
export type JetstreamIgnored = (typeof JETSTREAM_IGNORED)[number];

export type JetstreamOutcome =
  | { readonly kind: 'post'; readonly timeUs: number; readonly item: EnvelopeItem; readonly facts: PostFacts }
  | { readonly kind: 'ignored'; readonly timeUs: number; readonly reason: JetstreamIgnored }
  | RejectItem;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function postUri(did: string, rkey: string): string {
  return `at://${did}/${POST_COLLECTION}/${rkey}`;
}

/** Classifies one message; `where` locates it in rejection details (e.g. the host and connection). */
export function classifyJetstreamMessage(text: string, where: string): JetstreamOutcome {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    return jetstreamReject(text, where, 'invalid_json', (error as Error).message);
  }
  const outcome = classifyJetstreamEvent(event, text);
  return outcome.kind === 'invalid' ? jetstreamReject(text, where, outcome.reason, outcome.detail) : outcome;
}

/** An event that cannot be read as Jetstream: the DLQ reason and what was wrong. */
export interface InvalidEvent {
  readonly kind: 'invalid';
  readonly reason: string;
  readonly detail: string;
}

const invalid = (reason: string, detail: string): InvalidEvent => ({ kind: 'invalid', reason, detail });

function jetstreamReject(payload: string, where: string, reason: string, detail: string): RejectItem {
  return { kind: 'reject', reason, detail: `${where}: ${detail}`, payload, source: 'bluesky' };
}

/**
 * Classifies one event already parsed from `text` (a file line replaying an export, for example); the
 * caller turns an `invalid` one into its rejection.
 */
export function classifyJetstreamEvent(
  event: unknown,
  text: string,
): Exclude<JetstreamOutcome, RejectItem> | InvalidEvent {
  if (!isRecord(event) || typeof event.time_us !== 'number' || typeof event.did !== 'string') {
    return invalid('not_a_jetstream_event', 'expected an object with did, time_us and kind');
  }
  const timeUs = event.time_us;
  if (event.kind === 'identity' || event.kind === 'account')
    return { kind: 'ignored', timeUs, reason: event.kind };
  if (event.kind !== 'commit') return { kind: 'ignored', timeUs, reason: 'unknown_kind' };
  const commit = event.commit;
  if (!isRecord(commit)) return invalid('not_a_jetstream_event', 'a commit event without "commit"');
  if (commit.collection !== POST_COLLECTION) return { kind: 'ignored', timeUs, reason: 'other_collection' };
  if (commit.operation === 'delete') return { kind: 'ignored', timeUs, reason: 'post_delete' };
  if (commit.operation === 'update') return { kind: 'ignored', timeUs, reason: 'post_update' };
  if (commit.operation !== 'create') return { kind: 'ignored', timeUs, reason: 'unknown_kind' };
  const { rkey, record } = commit;
  if (typeof rkey !== 'string' || rkey === '') return invalid('missing_id', 'commit.rkey is missing');
  if (!isRecord(record) || typeof record.text !== 'string') {
    return invalid('missing_text', `post ${rkey} has no record.text`);
  }
  const uri = postUri(event.did, rkey);
  const parsedTime = typeof record.createdAt === 'string' ? Date.parse(record.createdAt) : Number.NaN;
  const createdAt = Number.isFinite(parsedTime) ? parsedTime : Math.floor(timeUs / 1000);
  return {
    kind: 'post',
    timeUs,
    item: {
      kind: 'envelope',
      id: uri,
      key: postKey(record.text, uri),
      createdAt,
      json: text,
      source: 'bluesky',
    },
    facts: postFacts(record),
  };
}

/** What the rules look at in a post record: text, facet tags and links, langs, reply, quote. */
export function postFacts(record: Json): PostFacts {
  const hashtags: string[] = [];
  let hasLinks = false;
  let hasMentions = false;
  for (const facet of Array.isArray(record.facets) ? record.facets : []) {
    const features = isRecord(facet) && Array.isArray(facet.features) ? facet.features : [];
    for (const f of features) {
      if (!isRecord(f)) continue;
      if (f.$type === 'app.bsky.richtext.facet#tag' && typeof f.tag === 'string') hashtags.push(f.tag);
      else if (f.$type === 'app.bsky.richtext.facet#link') hasLinks = true;
      else if (f.$type === 'app.bsky.richtext.facet#mention') hasMentions = true;
    }
  }
  const embed = isRecord(record.embed) ? record.embed.$type : undefined;
  if (embed === 'app.bsky.embed.external') hasLinks = true;
  const langs = Array.isArray(record.langs)
    ? record.langs.filter((l): l is string => typeof l === 'string')
    : [];
  return {
    text: record.text as string,
    hashtags,
    langs,
    hasLinks,
    hasMentions,
    isReply: isRecord(record.reply),
    isQuote: embed === 'app.bsky.embed.record' || embed === 'app.bsky.embed.recordWithMedia',
    isRepost: false,
  };
}
