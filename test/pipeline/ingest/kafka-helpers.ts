/** Helpers for the ingest integration tests (test/integration/ingest-*.spec.ts): real Kafka only. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { type Config, ConfigSchema } from '../../../pipeline/config.js';
import { INGEST_STATE_TOPIC, type IngestTopics } from '../../../pipeline/ingest/index.js';
import { readTopicRange, type TopicRecord } from '../../../pipeline/ingest/read-topic.js';
import { createKafka } from '../../../sinks/kafka/client.js';
import { createProducer, type TopicProducer } from '../../../sinks/kafka/producer.js';
import { ensureTopics } from '../../../sinks/kafka/topics.js';

export const silentLogger = pino({ level: 'silent' });

export function brokers(): string[] {
  const list = process.env.KAFKA_BROKERS;
  if (list === undefined || list === '')
    throw new Error('KAFKA_BROKERS is not set (the integration global setup sets it)');
  return list.split(',');
}

export function testKafka(): Kafka {
  return createKafka({ brokers: brokers(), clientId: 'ingest-tests', retryDeadlineMs: 10_000 });
}

/** Fresh topics per test so runs never see each other's messages. */
export async function freshTopics(kafka: Kafka, partitions = 3): Promise<IngestTopics> {
  const suffix = randomUUID().slice(0, 8);
  const topics: IngestTopics = {
    raw: `it.tweets.raw.${suffix}`,
    dlq: `it.tweets.dlq.${suffix}`,
    state: `it.${INGEST_STATE_TOPIC}.${suffix}`,
  };
  await ensureTopics(
    kafka,
    [
      { name: topics.raw, partitions, replicationFactor: 1, retentionHours: -1 },
      { name: topics.dlq, partitions: 1, replicationFactor: 1, retentionHours: -1 },
      { name: topics.state, partitions: 1, replicationFactor: 1, retentionHours: -1, compacted: true },
    ],
    { brokers: brokers() },
  );
  return topics;
}

export async function readAll(kafka: Kafka, topic: string): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  await readTopicRange(kafka, { topic, brokers: brokers(), onRecord: (r) => void records.push(r) });
  return records;
}

/** Polls Kafka until `topic` holds at least `count` records or the deadline passes. */
export async function untilCount(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<TopicRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await readAll(kafka, topic);
    if (records.length >= count) return records;
    if (Date.now() > deadline)
      throw new Error(`${topic} holds ${records.length} of ${count} records after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function testConfig(topics: IngestTopics, x: Partial<Config['x']> = {}): Config {
  return ConfigSchema.parse({
    kafka: { brokers: brokers().join(','), retryDeadlineMs: 10_000 },
    topics: { tweetsRaw: topics.raw, tweetsDlq: topics.dlq, partitions: 3 },
    x,
  });
}

export interface IngestFixture {
  readonly kafka: Kafka;
  readonly producer: TopicProducer;
  /** A fresh temporary directory, removed after the file's tests. */
  readonly dir: string;
}

/**
 * What the file-based ingest specs set up before their tests and tear down after: a Kafka client, our
 * producer and a temporary directory named `<prefix>...`. Read its fields inside the tests.
 */
export function ingestFixture(prefix: string): IngestFixture {
  const fixture = {} as { kafka: Kafka; producer: TopicProducer; dir: string };
  beforeAll(async () => {
    fixture.kafka = testKafka();
    fixture.producer = await createProducer(fixture.kafka, { brokers: brokers(), logger: silentLogger });
    fixture.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await fixture.producer?.close();
    if (fixture.dir !== undefined) rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
