/**
 * normalize for Bluesky: one Jetstream event (`{did, time_us, kind, commit}`, the whole WebSocket message)
 * -> Tweet. Only the creation of a post counts: identity and account events are `not_a_post`, a delete
 * is `deleted_post`; an update (Bluesky has no edit button, but the protocol allows rewriting a record)
 * is read as the post again, with the same id, so dedupe counts whichever version it saw first.
 *
 * The id is the post's AT URI, `at://<did>/app.bsky.feed.post/<rkey>`; the author is the DID. Jetstream
 * carries no handle, no follower count and no engagement: those stay null and zero (see tweetWeight).
 * Hashtags of the post that are not in its text (Bluesky's outline tags, `record.tags`, and facet tags
 * over other text) are appended on a last line as `#tag`, as the app shows them, so that the symbol
 * filter finds them where it finds X's hashtags: in the text.
 */
import {
  checkedText,
  FieldError,
  isObj,
  kindOf,
  NO_METRICS,
  NO_TAGS,
  type Obj,
  rejected,
  time,
} from './envelope-fields.js';
import { appendMissingTags } from './post-tags.js';
import type { Dropped, Tweet } from './types.js';

const POST = 'app.bsky.feed.post';
const MAX_DID = 2048;
const MAX_RKEY = 512;
const MAX_TAGS = 16;

/** A Jetstream event (`did`, `time_us` and `kind` present) -> Tweet, or a normalize rejection. Never throws. */
export function normalizeJetstream(value: Obj, maxText: number): Tweet | Dropped {
  let id: string | null = null;
  let createdAt: number | null = null;
  try {
    if (value.kind !== 'commit') throw new FieldError('not_a_post', `a ${String(value.kind)} event`);
    const commit = value.commit;
    if (!isObj(commit)) throw new FieldError('not_a_post', `commit is ${kindOf(commit)}`);
    if (commit.collection !== POST)
      throw new FieldError('not_a_post', `a record of ${String(commit.collection)}`);
    const did = value.did;
    if (typeof did !== 'string' || !isDid(did)) throw new FieldError('bad_did', 'did is not a valid DID');
    const rkey = commit.rkey;
    if (rkey === undefined || rkey === null) throw new FieldError('missing_id', 'commit.rkey is missing');
    if (typeof rkey !== 'string' || !isRecordKey(rkey))
      throw new FieldError('bad_id', 'commit.rkey is not a valid record key');
    id = `at://${did}/${POST}/${rkey}`;
    if (commit.operation === 'delete') throw new FieldError('deleted_post', 'the post was deleted');
    if (commit.operation !== 'create' && commit.operation !== 'update')
      throw new FieldError('not_a_post', `operation ${String(commit.operation)}`);
    const record = commit.record;
    if (!isObj(record)) throw new FieldError('missing_data', `commit.record is ${kindOf(record)}`);
    createdAt = time(record.createdAt, 'record.createdAt');
    const raw = record.text;
    if (raw === undefined || raw === null) throw new FieldError('missing_text', 'record.text is missing');
    if (typeof raw !== 'string') throw new FieldError('bad_text', 'record.text is not a string');
    const text = checkedText(appendMissingTags(raw, postTags(record)), maxText);
    return {
      kind: 'tweet',
      id,
      source: 'bluesky',
      text,
      createdAt,
      authorId: did,
      authorUsername: null,
      authorFollowers: null,
      authorCreatedAt: null,
      lang: firstLang(record.langs),
      metrics: NO_METRICS,
      retweetOf: null,
      quoteOf: quoted(record.embed),
      replyTo: replyParent(record.reply),
      ruleTags: NO_TAGS,
    };
  } catch (error) {
    return rejected(error, id, createdAt);
  }
}

// did:<method>:<id>, method lower-case letters, id [A-Za-z0-9._:%-] not ending in ':' (the DID core syntax).
function isDid(did: string): boolean {
  if (did.length > MAX_DID || !did.startsWith('did:')) return false;
  let i = 4;
  while (i < did.length && did.charCodeAt(i) >= 97 && did.charCodeAt(i) <= 122) i++;
  if (i === 4 || did.charCodeAt(i) !== 58 || i + 1 >= did.length) return false;
  for (let k = i + 1; k < did.length; k++) if (!isIdChar(did.charCodeAt(k), true)) return false;
  return did.charCodeAt(did.length - 1) !== 58;
}

// 1-512 of [A-Za-z0-9._~:-], not '.' or '..' (the AT Protocol record key syntax).
function isRecordKey(rkey: string): boolean {
  if (rkey.length < 1 || rkey.length > MAX_RKEY || rkey === '.' || rkey === '..') return false;
  for (let k = 0; k < rkey.length; k++) if (!isIdChar(rkey.charCodeAt(k), false)) return false;
  return true;
}

function isIdChar(c: number, did: boolean): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return true;
  return c === 46 || c === 45 || c === 95 || c === 58 || (did ? c === 37 : c === 126);
}

function firstLang(langs: unknown): string | null {
  if (langs === undefined || langs === null) return null;
  if (!Array.isArray(langs)) throw new FieldError('bad_lang', 'record.langs is not an array');
  const first: unknown = langs[0];
  if (first === undefined) return null;
  if (typeof first !== 'string') throw new FieldError('bad_lang', 'record.langs[0] is not a string');
  return first === '' || first === 'und' ? null : first;
}

function atUri(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.startsWith('at://') || value.length > MAX_DID + 600)
    throw new FieldError('bad_reference', `${field} is not an at:// URI`);
  return value;
}

function replyParent(reply: unknown): string | null {
  if (reply === undefined || reply === null) return null;
  if (!isObj(reply) || !isObj(reply.parent))
    throw new FieldError('bad_reference', 'record.reply has no parent');
  return atUri(reply.parent.uri, 'record.reply.parent.uri');
}

// A quote is an embedded record (app.bsky.embed.record), alone or with media (…recordWithMedia).
function quoted(embed: unknown): string | null {
  if (!isObj(embed)) return null;
  if (embed.$type === 'app.bsky.embed.record' && isObj(embed.record))
    return atUri(embed.record.uri, 'embed.record.uri');
  if (embed.$type === 'app.bsky.embed.recordWithMedia' && isObj(embed.record) && isObj(embed.record.record))
    return atUri(embed.record.record.uri, 'embed.record.record.uri');
  return null;
}

// Facet tags (#tag in the text, usually) and outline tags (record.tags, never in the text).
function postTags(record: Obj): string[] {
  const tags: string[] = [];
  const facets = record.facets;
  if (Array.isArray(facets)) {
    for (const facet of facets) {
      if (!isObj(facet) || !Array.isArray(facet.features)) continue;
      for (const feature of facet.features) {
        if (
          isObj(feature) &&
          feature.$type === 'app.bsky.richtext.facet#tag' &&
          typeof feature.tag === 'string'
        )
          tags.push(feature.tag);
      }
      if (tags.length >= MAX_TAGS) break;
    }
  }
  if (Array.isArray(record.tags)) for (const tag of record.tags) if (typeof tag === 'string') tags.push(tag);
  return tags.slice(0, MAX_TAGS);
}
