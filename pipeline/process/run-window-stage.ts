/**
 * `sentiflow process --stage window`: tweets.scored -> hourly windows -> decisions, per tweets.scored
 * partition (a symbol always lands in one); writes `sentiment_hourly`, `signals` and the signals topic
 * and executes decisions, as `--stage all` does. Scales with tweets.scored partitions.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Decision } from '../../operators/index.js';
import type { ClickHouseClient } from '../../sinks/clickhouse/client.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { describeError, InputError, RejectedError } from '../../sinks/errors.js';
import type { TopicProducer } from '../../sinks/kafka/producer.js';
import type { Config } from '../config.js';
import type { EngineOptions, EngineOutput } from './engine.js';
import { bucketRow, signalRow } from './rows.js';
import { partitionsOf, pick } from './run-score-stage.js';
import { runSplitStage, type SplitRunSummary } from './run-split-stage.js';
import { decodeItem } from './scored-records.js';
import { createWindowPartition, type WindowOutput, type WindowPartitionSnapshot } from './window-stage.js';

export interface WindowStageDeps {
  readonly kafka: Kafka;
  readonly producer: TopicProducer;
  readonly clickhouse: ClickHouseClient;
  readonly logger: Logger;
  readonly executeDecisions?: (decisions: readonly Decision[]) => Promise<void>;
  readonly onFlush?: (out: EngineOutput) => void;
  readonly onTiming?: (what: 'batch' | 'flush', seconds: number) => void;
  readonly onAssignment?: (partitions: readonly number[]) => void;
}

export interface WindowStageOptions {
  readonly config: Pick<Config, 'kafka' | 'topics' | 'clickhouse'>;
  readonly engine: Pick<EngineOptions, 'strategy' | 'strategyName' | 'window'>;
  /** Defaults to `sentiflow-process-window`. */
  readonly groupId?: string;
  readonly exitWhenIdle?: boolean;
  readonly flushInputs?: number;
  readonly flushIntervalMs?: number;
  readonly checkpointIntervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface WindowStageSummary extends SplitRunSummary {
  readonly buckets: number;
  readonly decisions: number;
  readonly late: number;
  /** Records sent again by a replay of the score stage, skipped. */
  readonly replayed: number;
  /** Messages on tweets.scored that are not ours (logged and skipped). */
  readonly invalid: number;
}

export async function runWindowStage(
  deps: WindowStageDeps,
  options: WindowStageOptions,
): Promise<WindowStageSummary> {
  const { topics, clickhouse: chConfig, kafka: kafkaConfig } = options.config;
  const { producer, clickhouse } = deps;
  const log = deps.logger.child({ module: 'process-window' });
  const topic = topics.tweetsScored;
  const insert = { url: chConfig.url, logger: deps.logger };
  const sources = await partitionsOf(deps.kafka, topics.tweetsRaw, kafkaConfig.brokers);
  const totals = { buckets: 0, decisions: 0, late: 0, replayed: 0, invalid: 0 };
  const createPartition = (partition: number, from: WindowPartitionSnapshot | undefined) => {
    if (from !== undefined && from.version !== 1) {
      throw new RejectedError('clickhouse', `window checkpoint of ${topic}#${partition} has unknown version`);
    }
    return createWindowPartition({ ...options.engine, sources }, from);
  };

  const summary = await runSplitStage<WindowOutput, WindowPartitionSnapshot>(
    deps,
    {
      name: 'window',
      topic,
      groupId: options.groupId ?? 'sentiflow-process-window',
      create(partition, from) {
        const window = createPartition(partition, from);
        return {
          push(m) {
            let item: ReturnType<typeof decodeItem>;
            try {
              item = decodeItem(m.value, `${topic}/${partition}/${m.offset}`);
            } catch (error) {
              if (!(error instanceof InputError)) throw error;
              totals.invalid++;
              log.warn({ err: describeError(error) }, 'skipping a message that is not a scored record');
              return;
            }
            if (!window.apply(item)) totals.replayed++;
          },
          drain: () => window.drain(),
          snapshot: () => window.snapshot(),
          get pendingInputs() {
            return window.pendingInputs;
          },
        };
      },
      finish(partition, from) {
        if (from === undefined) return null;
        const window = createPartition(partition, from);
        window.flushWindows();
        return window.drain();
      },
      async write(outs) {
        const buckets = outs.flatMap((o) => o.buckets);
        const decisions = outs.flatMap((o) => o.decisions);
        await Promise.all([
          insertRows(clickhouse, 'sentiment_hourly', buckets.map(bucketRow), insert),
          insertRows(clickhouse, 'signals', decisions.map(signalRow), insert),
          producer.send(
            topics.signals,
            decisions.map((d) => ({ key: d.symbol, value: JSON.stringify(d), timestamp: d.decidedAt })),
          ),
        ]);
        if (deps.executeDecisions && decisions.length > 0) await deps.executeDecisions(decisions);
      },
      count(out) {
        totals.buckets += out.buckets.length;
        totals.decisions += out.decisions.length;
        totals.late += out.late.length;
        deps.onFlush?.({ intake: [], scored: [], rejected: [], ...out });
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
