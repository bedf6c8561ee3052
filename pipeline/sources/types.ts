/**
 * What every ingest source emits. Envelopes keep the JSON text exactly as it arrived, so tweets.raw
 * holds the payload as its source delivered it (X v2 envelope, Jetstream event, Mastodon status); rejections carry the reason they go to the DLQ; checkpoints
 * are source state (e.g. the search poller's since_id) that the runner stores only after everything
 * emitted before them is durable.
 */
import type { Observable } from 'rxjs';

export const SOURCE_KINDS = ['x-stream', 'x-search', 'file', 'synthetic', 'bluesky', 'mastodon'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface EnvelopeItem {
  readonly kind: 'envelope';
  /** Post id: X tweet id, Bluesky at:// URI, Mastodon status URI. */
  readonly id: string;
  /**
   * Kafka key (post-key.ts): from the opening words of the text, so that a post, its reposts and its
   * copies on other sources land in one partition (the process stage keeps dedupe state per partition).
   * Not an identity: two posts may share it. Repeats of one delivery are told apart by `id`.
   */
  readonly key: string;
  /** created_at in epoch ms (the Kafka timestamp), or null when the payload has none. */
  readonly createdAt: number | null;
  /** The envelope's JSON text. */
  readonly json: string;
  readonly source: SourceKind;
}

export interface RejectItem {
  readonly kind: 'reject';
  /** Machine-readable reason, e.g. 'invalid_json', 'missing_id' (the DLQ reason header). */
  readonly reason: string;
  /** For humans: what was wrong and where (file line numbers live here). */
  readonly detail: string;
  /** The offending payload, as received (may be empty when the source could not keep it). */
  readonly payload: string;
  readonly source: SourceKind;
}

export interface CheckpointItem {
  readonly kind: 'checkpoint';
  /** State key, e.g. 'x-search:<query hash>'. */
  readonly key: string;
  readonly value: string;
}

export type IngestItem = EnvelopeItem | RejectItem | CheckpointItem;

/**
 * Back-pressure from the sink to pull-based sources (file, synthetic, search): a source awaits
 * `ready()` before producing more. Push-based sources (the X stream) cannot hold X back for long.
 */
export interface Demand {
  ready(): Promise<void> | undefined;
}

export const ALWAYS_READY: Demand = { ready: () => undefined };

/**
 * What the ingest runner subscribes to. A source whose position moves with every message (the Jetstream
 * cursor, Mastodon's newest status id) also offers `finalCheckpoint`: after a stop the runner writes it
 * behind everything the source emitted, so a clean restart resumes exactly there.
 */
export interface IngestSource {
  (demand: Demand): Observable<IngestItem>;
  readonly finalCheckpoint?: () => CheckpointItem | undefined;
}
