/**
 * The writer of every mode that writes: a cut's batch into its ClickHouse tables and Kafka topics, all
 * at once, then (when trading) its decisions executed. Everything is idempotent — ReplacingMergeTree
 * keys, keyed messages, orders looked up by their client id before they are sent — so a replay after a
 * crash writes the same batch again without counting anything twice.
 */
import type { Decision } from '../../../operators/index.js';
import type { ClickHouseClient } from '../../../sinks/clickhouse/client.js';
import { insertRows, insertTsv } from '../../../sinks/clickhouse/insert.js';
import type { TopicProducer } from '../../../sinks/kafka/producer.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { OutputBatch } from './collector.js';
import { bucketRow, INTAKE_COLUMNS, signalMessage, signalRow, TWEET_COLUMNS } from './formats.js';

/** Makes a cut's outputs durable. Must be idempotent: after a crash, the same batch comes again. */
export interface OutputWriter {
  write(batch: OutputBatch): Promise<void>;
}

export interface TableWriterDeps {
  readonly clickhouse: ClickHouseClient;
  readonly clickhouseUrl: string;
  readonly producer: TopicProducer;
  readonly topics: Pick<Config['topics'], 'tweetsDlq' | 'signals' | 'tweetsScored'>;
  readonly logger: Logger;
  /** Trading: each batch's decisions, executed once the rest of it is durable (paper or live). */
  readonly executeDecisions?: (decisions: readonly Decision[]) => Promise<void>;
}

export function createTableWriter(deps: TableWriterDeps): OutputWriter {
  const { clickhouse, producer, topics } = deps;
  const insert = { url: deps.clickhouseUrl, logger: deps.logger };
  return {
    async write(b) {
      await Promise.all([
        insertTsv(clickhouse, 'tweets', TWEET_COLUMNS, b.tweets.tsv, insert),
        insertRows(clickhouse, 'tweets', b.tweets.json, insert),
        insertTsv(clickhouse, 'intake', INTAKE_COLUMNS, b.intake.tsv, insert),
        insertRows(clickhouse, 'intake', b.intake.json, insert),
        insertRows(clickhouse, 'sentiment_hourly', b.buckets.map(bucketRow), insert),
        insertRows(clickhouse, 'signals', b.decisions.map(signalRow), insert),
        producer.send(topics.tweetsDlq, b.dlq),
        producer.send(topics.signals, b.decisions.map(signalMessage)),
        producer.send(topics.tweetsScored, b.repartition),
      ]);
      if (deps.executeDecisions && b.decisions.length > 0) await deps.executeDecisions(b.decisions);
    },
  };
}
