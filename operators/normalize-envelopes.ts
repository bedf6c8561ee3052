import { map, type OperatorFunction } from 'rxjs';
import { type NormalizeOptions, normalizeEnvelope } from './normalize-envelope.js';
import type { Dropped, Tweet } from './types.js';

/**
 * Normalizes each Kafka payload (an X v2 envelope, a Jetstream event or a Mastodon status, as bytes or
 * string; null for a tombstone) into a Tweet or a Dropped{stage:'normalize'} rejection for the DLQ.
 * One output per input; never errors on bad data.
 *
 *   payloads: --a--b--c--|
 *   output:   --T--D--T--|      (b was malformed: D = Dropped with a reason)
 *
 * Example: `kafkaValues$.pipe(normalizeEnvelopes())`
 * Cost: stateless; one UTF-8 decode and one JSON.parse per item.
 */
export function normalizeEnvelopes(
  options?: NormalizeOptions,
): OperatorFunction<string | Uint8Array | null, Tweet | Dropped> {
  return map((payload) => normalizeEnvelope(payload, options));
}
