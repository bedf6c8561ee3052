import { FieldError, isObj, kindOf, rejected } from './envelope-fields.js';
import { normalizeJetstream } from './normalize-jetstream.js';
import { normalizeMastodon } from './normalize-mastodon.js';
import { normalizeX } from './normalize-x.js';
import { dropped, type NormalizeReason } from './tally-drops.js';
import type { Dropped, Tweet } from './types.js';

/** Limits for {@link normalizeEnvelope}; the defaults follow what X itself allows. */
export interface NormalizeOptions {
  /** Largest payload accepted, in bytes (UTF-8) for byte payloads, in UTF-16 units for strings. */
  readonly maxPayloadBytes?: number;
  /** Longest post text accepted, in UTF-16 units (X long posts go up to 25,000 characters). */
  readonly maxTextLength?: number;
}

export const DEFAULT_NORMALIZE_OPTIONS: Required<NormalizeOptions> = {
  maxPayloadBytes: 256 * 1024,
  maxTextLength: 25_000,
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Turns one payload as stored in Kafka (bytes or string: an X API v2 envelope, a Bluesky Jetstream event
 * or a Mastodon Status, as the source delivered it) into a Tweet, or into a Dropped{stage:'normalize'}
 * that says why not. Never throws, whatever the input.
 *
 * Example: normalizeEnvelope('{"data":{"id":"1","text":"$BTC up",...}}') -> { kind: 'tweet', id: '1', source: 'x', ... }
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

/**
 * Like {@link normalizeEnvelope} for a payload that is already parsed (e.g. a source holding objects).
 * The source is recognised by shape alone (a file replay carries no headers): X v2 has `data`; a
 * Jetstream event has `did`, `time_us` and `kind`; a Mastodon Status has `uri`, `content` and `account`.
 * X is tested first and with one property read, so X payloads pay nothing for the other sources.
 */
export function normalizeParsed(value: unknown, options?: NormalizeOptions): Tweet | Dropped {
  const maxText = options?.maxTextLength ?? DEFAULT_NORMALIZE_OPTIONS.maxTextLength;
  if (!isObj(value)) return reject('not_an_object', `envelope is ${kindOf(value)}`);
  if (value.data !== undefined) return normalizeX(value, maxText);
  if (value.did !== undefined && value.time_us !== undefined && value.kind !== undefined)
    return normalizeJetstream(value, maxText);
  if (value.uri !== undefined && value.content !== undefined && value.account !== undefined)
    return normalizeMastodon(value, maxText);
  return rejected(
    new FieldError('missing_data', 'no X data, Jetstream event or Mastodon status'),
    null,
    null,
  );
}

function reject(reason: NormalizeReason, detail: string): Dropped {
  return dropped('normalize', reason, detail, null, null);
}
