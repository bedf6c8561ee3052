/**
 * `sentiflow process --stage score`: tweets.raw -> normalize -> dedupe -> filter -> score, per tweets.raw
 * partition; writes `tweets`, `intake` and the DLQ exactly as `--stage all` does, and feeds the window
 * stage through tweets.scored (one record per tweet and symbol, keyed by symbol, plus the source
 * partitions' watermark marks). Scales with tweets.raw partitions: run several in one group.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { createTweetFilter, type FilterOptions } from '../../operators/index.js';
import type { ClickHouseClient } from '../../sinks/clickhouse/client.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { RejectedError } from '../../sinks/errors.js';
import { toKafkaError } from '../../sinks/kafka/errors.js';
import type { TopicProducer } from '../../sinks/kafka/producer.js';
import type { Config } from '../config.js';
import type { EngineOptions, EngineOutput } from './engine.js';
import { intakeRow, tweetRows } from './rows.js';
import { runSplitStage, type SplitRunSummary } from './run-split-stage.js';
import { createScorePartition, type ScoreOutput, type ScorePartitionSnapshot } from './score-stage.js';
import { markMessages, type SourceMark } from './scored-records.js';

export interface ScoreStageDeps {
  readonly kafka: Kafka;
  readonly producer: TopicProducer;
  readonly clickhouse: ClickHouseClient;
  readonly logger: Logger;
  readonly onFlush?: (out: EngineOutput) => void;
  readonly onTiming?: (what: 'batch' | 'flush', seconds: number) => void;
  readonly onAssignment?: (partitions: readonly number[]) => void;
}

export interface ScoreStageOptions {
  readonly config: Pick<Config, 'kafka' | 'topics' | 'clickhouse'>;
  readonly engine: Pick<EngineOptions, 'scoring' | 'normalize' | 'dedupe' | 'filter'>;
  /** Defaults to `sentiflow-process-score`. */
  readonly groupId?: string;
  readonly exitWhenIdle?: boolean;
  readonly flushInputs?: number;
  readonly flushIntervalMs?: number;
  readonly checkpointIntervalMs?: number;
  /**
   * Live only: after this long without input, mark every held partition's watermark at wall-clock time,
   * so the window stage closes quiet hours (as `--stage all --idle-watermark` does). A replay cannot see
   * wall-clock time, so a replay of such a period may count tweets the live run had found late.
   */
  readonly idleWatermarkMs?: number;
  readonly signal?: AbortSignal;
}

export interface ScoreStageSummary extends SplitRunSummary {
  readonly stored: number;
  readonly dropped: number;
  readonly rejected: number;
  /** Records sent to tweets.scored (one per tweet and symbol). */
  readonly records: number;
}

interface ScoreFlush extends ScoreOutput {
  readonly mark: SourceMark | null;
}

export async function runScoreStage(
  deps: ScoreStageDeps,
  options: ScoreStageOptions,
): Promise<ScoreStageSummary> {
  const { topics, clickhouse: chConfig, kafka: kafkaConfig } = options.config;
  const { producer, clickhouse } = deps;
  const topic = topics.tweetsRaw;
  const insert = { url: chConfig.url, logger: deps.logger };
  const scoredPartitions = await partitionsOf(deps.kafka, topics.tweetsScored, kafkaConfig.brokers);
  const filterFn = createTweetFilter(options.engine.filter as FilterOptions | undefined);
  const totals = { stored: 0, dropped: 0, rejected: 0, records: 0 };

  const summary = await runSplitStage<ScoreFlush, ScorePartitionSnapshot>(
    deps,
    {
      name: 'score',
      topic,
      groupId: options.groupId ?? 'sentiflow-process-score',
      create(partition, from) {
        if (from !== undefined && from.version !== 1) {
          throw new RejectedError(
            'clickhouse',
            `score checkpoint of ${topic}#${partition} has unknown version`,
          );
        }
        const scorer = createScorePartition(partition, { ...options.engine, filterFn }, from);
        return {
          push: (m) => scorer.push({ partition, offset: m.offset, value: m.value, timestamp: m.timestamp }),
          drain: () => ({ ...scorer.drain(), mark: scorer.takeMark() }),
          snapshot: () => scorer.snapshot(),
          get pendingInputs() {
            return scorer.pendingInputs;
          },
        };
      },
      async write(outs) {
        const intake = outs.flatMap((o) => o.intake);
        const scored = outs.flatMap((o) => o.scored);
        const rejected = outs.flatMap((o) => o.rejected);
        // Records before marks, in one send: a window partition never sees a mark ahead of its records.
        const repartition = [
          ...outs.flatMap((o) => o.repartition),
          ...outs.flatMap((o) => (o.mark === null ? [] : markMessages(o.mark, scoredPartitions))),
        ];
        await Promise.all([
          insertRows(
            clickhouse,
            'intake',
            intake.map((r) => intakeRow(topic, r)),
            insert,
          ),
          insertRows(clickhouse, 'tweets', scored.flatMap(tweetRows), insert),
          producer.send(
            topics.tweetsDlq,
            rejected.map(({ input, drop }) => ({
              key: `${topic}:${input.partition}:${input.offset}`,
              value: input.value === null ? null : Buffer.from(input.value),
              timestamp: input.timestamp,
              headers: {
                reason: drop.reason,
                stage: drop.stage,
                detail: drop.detail.slice(0, 500),
                source: `${topic}/${input.partition}/${input.offset}`,
              },
            })),
          ),
          producer.send(topics.tweetsScored, repartition),
        ]);
      },
      idle(held, time) {
        if (held.length === 0) return null;
        const empty = { intake: [], scored: [], rejected: [], repartition: [] };
        const repartition = held.flatMap((source) =>
          markMessages({ source, watermarkBefore: time }, scoredPartitions),
        );
        return { ...empty, repartition, mark: null };
      },
      count(out) {
        for (const r of out.intake) totals[r.outcome]++;
        totals.records += out.repartition.filter((m) => m.key !== null).length; // marks have no key
        deps.onFlush?.({ ...out, buckets: [], decisions: [], late: [] });
      },
    },
    {
      brokers: kafkaConfig.brokers,
      sessionTimeoutMs: kafkaConfig.sessionTimeoutMs,
      clickhouseUrl: chConfig.url,
      ...pick(options),
    },
  );
  return { ...summary, ...totals };
}

export async function partitionsOf(
  kafka: Kafka,
  topic: string,
  brokers: readonly string[],
): Promise<number[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return (await admin.fetchTopicOffsets(topic)).map((p) => p.partition).sort((a, b) => a - b);
  } catch (error) {
    throw toKafkaError(error, `reading partitions of ${topic} (run: sentiflow topics create)`, brokers);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The runner options both split stages pass through unchanged. */
export function pick(options: {
  readonly exitWhenIdle?: boolean;
  readonly flushInputs?: number;
  readonly flushIntervalMs?: number;
  readonly checkpointIntervalMs?: number;
  readonly idleWatermarkMs?: number;
  readonly signal?: AbortSignal;
}) {
  return {
    ...(options.exitWhenIdle === undefined ? {} : { exitWhenIdle: options.exitWhenIdle }),
    ...(options.flushInputs === undefined ? {} : { flushInputs: options.flushInputs }),
    ...(options.flushIntervalMs === undefined ? {} : { flushIntervalMs: options.flushIntervalMs }),
    ...(options.checkpointIntervalMs === undefined
      ? {}
      : { checkpointIntervalMs: options.checkpointIntervalMs }),
    ...(options.idleWatermarkMs === undefined ? {} : { idleWatermarkMs: options.idleWatermarkMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}
