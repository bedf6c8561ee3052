/**
 * Synthetic envelopes as ingest writes them to tweets.raw: classified (pipeline/sources/classify-envelope.ts)
 * and routed (pipeline/ingest/messages.ts), so a bench's topic has ingest's keys (post-key.ts: copies of a
 * post share a partition, where dedupe drops them), created_at timestamps and headers. A bench that keyed
 * by post id spread copy-paste spam over partitions and read messages without headers: not what
 * `process` and `backtest` read in use.
 */
import type { Message, PartitionMetadata } from 'kafkajs';
import type { RawEnvelope } from '../operators/types.js';
import { routeItem } from '../pipeline/ingest/messages.js';
import { classifyEnvelope } from '../pipeline/sources/classify-envelope.js';
import type { SourceKind } from '../pipeline/sources/types.js';
import { Partitioners } from '../sinks/kafka/kafkajs.js';
import { type OutgoingMessage, toKafkaMessage } from '../sinks/kafka/producer.js';

const TOPICS = { raw: 'tweets.raw', dlq: 'tweets.dlq', state: 'ingest.state' };

/** The tweets.raw message ingest writes for `envelope` (JSON.stringify of it is the value) from `source`. */
export function ingestedMessage(
  envelope: RawEnvelope,
  ingestedAtMs: number,
  source: SourceKind = 'synthetic',
): OutgoingMessage {
  const json = JSON.stringify(envelope);
  const item = classifyEnvelope(envelope, json, source, 'synthetic envelope');
  if (item.kind !== 'envelope') throw new Error(`ingest rejects a synthetic envelope: ${item.detail}`);
  return routeItem(item, TOPICS, ingestedAtMs).message;
}

/** The same, as kafkajs takes it (for benches that produce with kafkajs directly). */
export function ingestedKafkaMessage(
  envelope: RawEnvelope,
  ingestedAtMs: number,
  source: SourceKind = 'synthetic',
): Message {
  return toKafkaMessage(ingestedMessage(envelope, ingestedAtMs, source));
}

const partitioner = Partitioners.DefaultPartitioner();
/** A topic of n partitions as the partitioner sees it, per n (process.e2e asks once per message). */
const topicsOf = new Map<number, PartitionMetadata[]>();

/** The partition of `key` among `n`, as the producers here place it (kafkajs' default partitioner). */
export function partitionOf(key: string, n: number): number {
  let partitionMetadata = topicsOf.get(n);
  if (partitionMetadata === undefined) {
    partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    }));
    topicsOf.set(n, partitionMetadata);
  }
  return partitioner({ topic: TOPICS.raw, partitionMetadata, message: { key, value: null } });
}
