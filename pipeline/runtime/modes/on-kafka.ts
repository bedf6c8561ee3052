/**
 * The wiring every live mode shares: a consumer group driver over its input topic, checkpoints in
 * ClickHouse under the group, the table writer, and the runner.
 */
import type { Kafka } from 'kafkajs';
import type { Decision } from '../../../operators/index.js';
import type { ClickHouseClient } from '../../../sinks/clickhouse/client.js';
import type { TopicProducer } from '../../../sinks/kafka/producer.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { clickHouseCheckpoints } from '../checkpoint.js';
import { createKafkaGroupDriver } from '../drivers/kafka-group.js';
import { createTableWriter } from '../output/table-writer.js';
import { type RunnerHooks, type RunSummary, runRuntime } from '../runner.js';
import { type RuntimeSettings, runtimeSettings } from '../settings.js';
import type { Topology } from '../topology/topology.js';

export interface LiveDeps extends RunnerHooks {
  readonly kafka: Kafka;
  readonly producer: TopicProducer;
  readonly clickhouse: ClickHouseClient;
  readonly logger: Logger;
  /** Trading: each flush's decisions, executed once the rest of it is durable (paper or live exchange). */
  readonly executeDecisions?: (decisions: readonly Decision[]) => Promise<void>;
}

/** What every live mode takes: the config's connections, its group, the runtime settings. */
export interface LiveOptions extends Partial<RuntimeSettings> {
  readonly config: Pick<Config, 'kafka' | 'topics' | 'clickhouse'>;
  readonly groupId?: string;
  /** Stop once every partition is read, written and committed (closing what is open as the end of input). */
  readonly exitWhenIdle?: boolean;
  readonly signal?: AbortSignal;
}

export async function runOnKafka(
  deps: LiveDeps,
  options: LiveOptions & {
    readonly topic: string;
    readonly groupId: string;
    readonly module: string;
    readonly name: string;
  },
  topology: (partitions: readonly number[]) => Topology,
): Promise<RunSummary> {
  const { kafka, clickhouse, logger } = deps;
  const { config, topic, groupId } = options;
  const log = logger.child({ module: options.module });
  const settings = runtimeSettings(options);
  const driver = await createKafkaGroupDriver(kafka, {
    brokers: config.kafka.brokers,
    groupId,
    topic,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
    fetchBytes: settings.fetchBytes,
    logger: log,
  });
  let tasks: Topology;
  try {
    tasks = topology([...driver.starts.keys()].sort((a, b) => a - b));
  } catch (error) {
    await driver.stop();
    throw error;
  }
  return runRuntime({
    name: options.name,
    driver,
    topology: tasks,
    topic,
    writer: createTableWriter({
      clickhouse,
      clickhouseUrl: config.clickhouse.url,
      producer: deps.producer,
      topics: config.topics,
      logger: log,
      ...(deps.executeDecisions ? { executeDecisions: deps.executeDecisions } : {}),
    }),
    store: clickHouseCheckpoints(clickhouse, { url: config.clickhouse.url, groupId, logger: log }),
    settings,
    exitWhenIdle: options.exitWhenIdle === true,
    log,
    signal: options.signal,
    hooks: deps,
  });
}
