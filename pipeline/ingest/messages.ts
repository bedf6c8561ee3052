/**
 * How ingest items become Kafka messages: envelopes to tweets.raw under their key (post-key.ts) with created_at as
 * the Kafka timestamp; rejections to tweets.dlq with a reason header; checkpoints to the compacted
 * ingest state topic keyed by their state key.
 */
import type { OutgoingMessage } from '../../sinks/kafka/producer.js';
import type { IngestItem } from '../sources/types.js';

export const INGEST_STATE_TOPIC = 'ingest.state';

export interface IngestTopics {
  readonly raw: string;
  readonly dlq: string;
  /** Compacted topic for source state (the search poller's newest id). */
  readonly state: string;
}

export const HEADER_SOURCE = 'source';
export const HEADER_INGESTED_AT = 'ingested_at';
export const HEADER_REASON = 'reason';
export const HEADER_DETAIL = 'detail';
export const HEADER_STAGE = 'stage';

/** Header values are for people and filters, not storage: keep them short. */
const MAX_DETAIL_CHARS = 1000;

export interface Routed {
  readonly topic: string;
  readonly message: OutgoingMessage;
  /** Approximate size for buffer accounting. */
  readonly bytes: number;
}

/** The ingested_at header of the last millisecond seen: a busy source routes many items within one. */
let isoAt = { ms: Number.NaN, iso: '' };
function isoOf(ms: number): string {
  if (ms !== isoAt.ms) isoAt = { ms, iso: new Date(ms).toISOString() };
  return isoAt.iso;
}

export function routeItem(item: IngestItem, topics: IngestTopics, ingestedAtMs: number): Routed {
  const ingestedAt = isoOf(ingestedAtMs);
  switch (item.kind) {
    case 'envelope':
      return {
        topic: topics.raw,
        bytes: item.json.length + item.key.length + 64,
        message: {
          key: item.key,
          value: item.json,
          timestamp: item.createdAt ?? ingestedAtMs,
          headers: { [HEADER_SOURCE]: item.source, [HEADER_INGESTED_AT]: ingestedAt },
        },
      };
    case 'reject':
      return {
        topic: topics.dlq,
        bytes: item.payload.length + item.detail.length + 96,
        message: {
          key: null,
          value: item.payload,
          timestamp: ingestedAtMs,
          headers: {
            [HEADER_REASON]: item.reason,
            [HEADER_DETAIL]: item.detail.slice(0, MAX_DETAIL_CHARS),
            [HEADER_STAGE]: 'ingest',
            [HEADER_SOURCE]: item.source,
            [HEADER_INGESTED_AT]: ingestedAt,
          },
        },
      };
    case 'checkpoint':
      return {
        topic: topics.state,
        bytes: item.key.length + item.value.length + 32,
        message: { key: item.key, value: item.value, timestamp: ingestedAtMs },
      };
  }
}
