/**
 * The split stages of `process`: `--stage score` (tweets.raw -> the score half -> tweets, intake, DLQ and
 * tweets.scored; scales with tweets.raw partitions) and `--stage window` (tweets.scored -> the window
 * half -> buckets, decisions, orders; scales with tweets.scored partitions, i.e. by symbol). Both run
 * the one runner with per-partition groups, so a rebalance moves a partition with its state.
 */
import type { Kafka } from 'kafkajs';
import { toKafkaError } from '../../../sinks/kafka/errors.js';
import { DEFAULT_CHAIN_MODULE, loadChainModule } from '../chain-module.js';
import { type ChainSettings, scoreSettingsOf, windowSettingsOf } from '../chain-settings.js';
import type { RunSummary } from '../runner.js';
import { createScoreStage } from '../topology/score-stage.js';
import { createWindowStage } from '../topology/window-stage.js';
import { type LiveDeps, type LiveOptions, runOnKafka } from './on-kafka.js';

export interface StageOptions extends LiveOptions {
  readonly engine: ChainSettings;
  /** URL of the chain module (default: chain.ts). */
  readonly chainModule?: string;
}

export interface ScoreStageSummary extends RunSummary {
  /** Records sent to tweets.scored (one per tweet and symbol). */
  readonly records: number;
}

export interface WindowStageSummary extends RunSummary {
  /** Records sent again by a replay of the score stage, skipped. */
  readonly replayed: number;
  /** Messages on tweets.scored that are not ours (logged and skipped). */
  readonly invalid: number;
}

export async function runScoreStage(deps: LiveDeps, options: StageOptions): Promise<ScoreStageSummary> {
  const { topics, kafka: kafkaConfig } = options.config;
  const topic = topics.tweetsRaw;
  const chain = await loadChainModule(options.chainModule ?? DEFAULT_CHAIN_MODULE);
  const scoredPartitions = await partitionsOf(deps.kafka, topics.tweetsScored, kafkaConfig.brokers);
  let records = 0;
  const summary = await runOnKafka(
    {
      ...deps,
      onFlush(batch) {
        records += batch.repartition.filter((m) => m.key !== null).length; // marks have no key
        deps.onFlush?.(batch);
      },
    },
    {
      ...options,
      topic,
      groupId: options.groupId ?? 'sentiflow-process-score',
      module: 'process-score',
      name: 'process --stage score',
    },
    () =>
      createScoreStage({
        scoreChain: chain.scoreChain,
        score: scoreSettingsOf(options.engine),
        topic,
        scoredPartitions,
        collector: { topic, rows: true },
      }),
  );
  return { ...summary, records };
}

export async function runWindowStage(deps: LiveDeps, options: StageOptions): Promise<WindowStageSummary> {
  const { topics, kafka: kafkaConfig } = options.config;
  const topic = topics.tweetsScored;
  const chain = await loadChainModule(options.chainModule ?? DEFAULT_CHAIN_MODULE);
  const sources = await partitionsOf(deps.kafka, topics.tweetsRaw, kafkaConfig.brokers);
  const skipped = { replayed: 0, invalid: 0 };
  const summary = await runOnKafka(
    deps,
    {
      ...options,
      topic,
      groupId: options.groupId ?? 'sentiflow-process-window',
      module: 'process-window',
      name: 'process --stage window',
    },
    () =>
      createWindowStage({
        windowChain: chain.windowChain,
        window: windowSettingsOf(options.engine, sources),
        topic,
        collector: { topic, rows: false },
        log: deps.logger.child({ module: 'process-window', name: 'process --stage window' }),
        skipped,
      }),
  );
  return { ...summary, ...skipped };
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
