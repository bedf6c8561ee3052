/**
 * What the ingest benches (ingest.file_to_kafka, ingest.bluesky) share: fresh tweets.raw/dlq/state
 * topics for every round, deleted after it, and the raw kafkajs producer they are measured against
 * (idempotent, acks=all, gzip, 2,000-message batches: what our producer does, minus sentiflow).
 */
import { randomUUID } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import type { IngestTopics } from '../pipeline/ingest/index.js';
import { CompressionTypes } from '../sinks/kafka/kafkajs.js';
import { ensureTopics } from '../sinks/kafka/topics.js';

export async function freshTopics(kafka: Kafka, brokers: readonly string[]): Promise<IngestTopics> {
  const id = randomUUID().slice(0, 8);
  const topics = { raw: `bench.raw.${id}`, dlq: `bench.dlq.${id}`, state: `bench.state.${id}` };
  await ensureTopics(
    kafka,
    [
      { name: topics.raw, partitions: 3, replicationFactor: 1, retentionHours: 1 },
      { name: topics.dlq, partitions: 1, replicationFactor: 1, retentionHours: 1 },
      { name: topics.state, partitions: 1, replicationFactor: 1, retentionHours: -1, compacted: true },
    ],
    { brokers },
  );
  return topics;
}

export async function deleteTopics(kafka: Kafka, topics: IngestTopics): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topics.raw, topics.dlq, topics.state] }).catch(() => undefined);
  await admin.disconnect();
}

/** Sends `messages` to `topic` with the raw producer; `measure` times the sending alone. */
export async function sendRaw<T>(
  kafka: Kafka,
  topic: string,
  messages: readonly Message[],
  measure: (work: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    return await measure(async () => {
      for (let i = 0; i < messages.length; i += 2000) {
        await producer.sendBatch({
          acks: -1,
          compression: CompressionTypes.GZIP,
          topicMessages: [{ topic, messages: messages.slice(i, i + 2000) }],
        });
      }
    });
  } finally {
    await producer.disconnect();
  }
}
