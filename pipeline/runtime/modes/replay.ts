/**
 * The backtest's replay: tweets.raw [from, to) through the runner with the replay driver (by offsets:
 * never joins the live group, never commits) and the same topologies as `process --stage all` (score
 * threads, the default, or all on this thread), into closed hourly buckets and the chain's own
 * decisions, kept in memory; the end of input closes every open bucket. Buckets do not depend on
 * strategy parameters, so a sweep computes them once and runs every parameter set over them.
 */
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import type { Bucket, Decision, Strategy } from '../../../operators/index.js';
import { type Config, engineOptionsFrom } from '../../config.js';
import { DEFAULT_CHAIN_MODULE, loadChainModule } from '../chain-module.js';
import { scoreSettingsOf, windowSettingsOf } from '../chain-settings.js';
import { createKafkaReplayDriver, planReplay, type ReplayPlan } from '../drivers/kafka-replay.js';
import type { OutputWriter } from '../output/table-writer.js';
import { type RunnerHooks, runRuntime } from '../runner.js';
import { runtimeSettings } from '../settings.js';
import { createThreadedChain } from '../topology/threaded-chain.js';
import { createWholeChain } from '../topology/whole-chain.js';

/** The config sections the chain is built from (engineOptionsFrom). */
export type EngineConfig = Pick<Config, 'symbols' | 'filter' | 'scorer' | 'window' | 'strategy'>;

export interface ReplayProgress {
  readonly read: number;
  readonly total: number;
  /** Latest event time (Kafka timestamp = created_at) handed to the chain. */
  readonly eventTime: number;
}

export interface ReplayedBuckets {
  readonly partitions: readonly number[];
  /** Every closed bucket of every symbol, in the order the chain closed them. */
  readonly buckets: readonly Bucket[];
  /** The chain's own decisions for `strategy` (what `process` would have decided). */
  readonly decisions: readonly Decision[];
  readonly consumed: number;
  readonly stored: number;
  readonly dropped: number;
  readonly rejected: number;
}

export interface ReplayBucketsOptions {
  readonly topic: string;
  readonly brokers: readonly string[];
  readonly from: number;
  readonly to: number;
  /** The chain's sections of the config (scoring, filter, weights, window), as `process` takes them. */
  readonly config: EngineConfig;
  readonly strategy: Strategy;
  readonly strategyName?: string;
  readonly onProgress?: (progress: ReplayProgress) => void;
  readonly signal?: AbortSignal;
  /** Offsets already planned (planReplay); planned here otherwise. */
  readonly plan?: ReplayPlan;
  readonly maxBytesPerPartition?: number;
  /** Score threads (> 0, the backtest's default: one per core); absent or 0: all on this thread. */
  readonly scoreThreads?: number;
  /** URL of the chain module (default: chain.ts). */
  readonly chainModule?: string;
}

export async function replayBuckets(kafka: Kafka, options: ReplayBucketsOptions): Promise<ReplayedBuckets> {
  const { topic, brokers } = options;
  const plan =
    options.plan ?? (await planReplay(kafka, { topic, brokers, from: options.from, to: options.to }));
  const chainModule = options.chainModule ?? DEFAULT_CHAIN_MODULE;
  const chain = await loadChainModule(chainModule);
  const engine = {
    ...engineOptionsFrom(options.config),
    strategy: options.strategy,
    ...(options.strategyName === undefined ? {} : { strategyName: options.strategyName }),
  };
  const collector = { topic, rows: false };
  const window = windowSettingsOf(engine, plan.partitions);
  const topology =
    options.scoreThreads !== undefined && options.scoreThreads > 0
      ? createThreadedChain({
          windowChain: chain.windowChain,
          chainModule,
          threads: options.scoreThreads,
          score: { scoring: engine.scoringOptions, filter: engine.filter, weight: engine.weight },
          window,
          collector,
        })
      : createWholeChain({ chain, score: scoreSettingsOf(engine), window, collector });
  const buckets: Bucket[] = [];
  const decisions: Decision[] = [];
  const kept: OutputWriter = {
    write(batch) {
      for (const b of batch.buckets) buckets.push(b);
      for (const d of batch.decisions) decisions.push(d);
      return Promise.resolve();
    },
  };
  const driver = createKafkaReplayDriver(kafka, {
    topic,
    brokers,
    plan,
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
  });
  const summary = await runRuntime({
    name: 'backtest replay',
    driver,
    topology,
    topic,
    writer: kept,
    store: null,
    settings: runtimeSettings(),
    exitWhenIdle: true,
    log: pino({ level: 'silent' }),
    signal: options.signal,
    ...(options.onProgress ? { hooks: progressOf(plan, options.from, options.onProgress) } : {}),
  });
  if (options.signal?.aborted) throw new Error('backtest aborted');
  const { consumed, stored, dropped, rejected } = summary;
  return { partitions: plan.partitions, buckets, decisions, consumed, stored, dropped, rejected };
}

/** Reports how much the chain has taken, after every batch. */
function progressOf(plan: ReplayPlan, from: number, report: (p: ReplayProgress) => void): RunnerHooks {
  let read = 0;
  let eventTime = from;
  return {
    onTaken(messages) {
      read += messages.length;
      for (const m of messages) if (m.timestamp > eventTime) eventTime = m.timestamp;
      report({ read, total: plan.total, eventTime });
    },
  };
}
