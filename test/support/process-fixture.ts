/**
 * A scratch world for process tests: unique topics and database, migrations applied, and helpers to
 * fill tweets.raw with synthetic envelopes (plus poison) and read the resulting tables.
 */
import type { Kafka } from 'kafkajs';
import { type Config, loadConfig } from '../../pipeline/config.js';
import { generateEnvelopes, type SyntheticOptions } from '../../pipeline/sources/synthetic.js';
import { topicSpecs } from '../../pipeline/topics.js';
import type { ClickHouseClient } from '../../sinks/clickhouse/client.js';
import { createClickHouse } from '../../sinks/clickhouse/client.js';
import { migrate } from '../../sinks/clickhouse/migrations.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { createProducer, type OutgoingMessage, type TopicProducer } from '../../sinks/kafka/producer.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import { clickHouseConnection, kafkaBrokers, uniqueName } from './servers.js';

export interface ProcessWorld {
  readonly config: Config;
  /** Environment for a `sentiflow` child process pointed at this world. */
  readonly env: Record<string, string>;
  readonly kafka: Kafka;
  readonly producer: TopicProducer;
  readonly clickhouse: ClickHouseClient;
  rows<T>(query: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function createProcessWorld(name: string, partitions = 3): Promise<ProcessWorld> {
  const id = uniqueName(name);
  const ch = clickHouseConnection();
  const env: Record<string, string> = {
    KAFKA_BROKERS: kafkaBrokers().join(','),
    CLICKHOUSE_URL: ch.url,
    CLICKHOUSE_USER: ch.user,
    CLICKHOUSE_PASSWORD: ch.password,
    CLICKHOUSE_DATABASE: id,
    TOPIC_TWEETS_RAW: `${id}.raw`,
    TOPIC_TWEETS_DLQ: `${id}.dlq`,
    TOPIC_SIGNALS: `${id}.signals`,
    TOPIC_ORDERS: `${id}.orders`,
    TOPIC_TWEETS_SCORED: `${id}.scored`,
    TOPIC_PARTITIONS: String(partitions),
  };
  const config = loadConfig({ env });
  const kafka = createKafka({ ...config.kafka, retryDeadlineMs: 10_000 });
  await ensureTopics(kafka, topicSpecs(config.topics), { brokers: config.kafka.brokers });
  const admin = createClickHouse({ ...config.clickhouse, database: 'default' });
  const clickhouse = createClickHouse(config.clickhouse);
  await migrate(admin, clickhouse, { url: config.clickhouse.url, database: id });
  const producer = await createProducer(kafka, { brokers: config.kafka.brokers });
  return {
    config,
    env,
    kafka,
    producer,
    clickhouse,
    async rows<T>(query: string) {
      return (await clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();
    },
    async close() {
      await producer.close();
      await admin.command({ query: `DROP DATABASE IF EXISTS ${id}` });
      await Promise.all([admin.close(), clickhouse.close()]);
    },
  };
}

/** Synthetic envelopes as tweets.raw messages: key = the tweet id, timestamp = created_at. */
export function syntheticMessages(options: SyntheticOptions): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  for (const envelope of generateEnvelopes(options)) {
    out.push({
      key: envelope.data.id,
      value: JSON.stringify(envelope),
      timestamp: Date.parse(envelope.data.created_at ?? '') || 0,
    });
  }
  return out;
}

/** Payloads that must end in the DLQ, one per kind of damage. */
export function poisonMessages(at: number): OutgoingMessage[] {
  return [
    { key: 'p1', value: '{"data": {"id": "1", "text": "unterminated', timestamp: at },
    { key: 'p2', value: JSON.stringify({ data: { id: 42, text: ['not', 'a', 'string'] } }), timestamp: at },
    { key: 'p3', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), timestamp: at },
    { key: 'p4', value: `{"data":{"id":"9","text":"${'x'.repeat(400_000)}"}}`, timestamp: at },
    { key: 'p5', value: null, timestamp: at },
    { key: 'p6', value: '[]', timestamp: at },
  ];
}
