/**
 * The shared stage of a backtest: tweets.raw [from, to) through the live engine (normalize -> dedupe
 * -> filter -> score -> window, one watermark per partition) into closed hourly buckets, flushed at
 * the end of input. Buckets do not depend on strategy parameters, so a sweep computes them once and
 * runs every parameter set over the same list, in the order the engine closed them.
 */
import type { Kafka } from 'kafkajs';
import type { Bucket, Decision, ScoringModel, Strategy } from '../../operators/index.js';
import type { KafkaClientOptions } from '../../sinks/kafka/client.js';
import { createEngine, type EngineOptions } from '../process/engine.js';
import { replayTopicInWorker } from './replay-thread.js';
import { planReplay, type ReplayMessage, type ReplayPlan, replayTopic } from './replay-topic.js';

export interface ReplayProgress {
  readonly read: number;
  readonly total: number;
  /** Latest event time (Kafka timestamp = created_at) handed to the engine. */
  readonly eventTime: number;
}

export interface ReplayedBuckets {
  readonly partitions: readonly number[];
  /** Every closed bucket of every symbol, in the order the engine closed them. */
  readonly buckets: readonly Bucket[];
  /** The engine's own decisions for `strategy` (what `process` would have decided). */
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
  readonly scoring: ScoringModel;
  readonly strategy: Strategy;
  readonly strategyName?: string;
  readonly engine?: Pick<EngineOptions, 'normalize' | 'dedupe' | 'filter' | 'window' | 'weight'>;
  readonly onProgress?: (progress: ReplayProgress) => void;
  readonly signal?: AbortSignal;
  /** Offsets already planned (planReplay); planned here otherwise. */
  readonly plan?: ReplayPlan;
  readonly maxBytesPerPartition?: number;
  /**
   * Kafka client settings for a replay worker thread: given, fetching and decoding run there while
   * the engine runs here (two cores). Absent, everything runs on this thread.
   */
  readonly threaded?: Omit<KafkaClientOptions, 'logger'>;
}

export async function replayBuckets(kafka: Kafka, options: ReplayBucketsOptions): Promise<ReplayedBuckets> {
  const { topic, brokers } = options;
  const plan =
    options.plan ?? (await planReplay(kafka, { topic, brokers, from: options.from, to: options.to }));
  const engine = createEngine({
    ...options.engine,
    partitions: plan.partitions,
    scoring: options.scoring,
    strategy: options.strategy,
    ...(options.strategyName === undefined ? {} : { strategyName: options.strategyName }),
  });
  const buckets: Bucket[] = [];
  const decisions: Decision[] = [];
  const counts = { consumed: 0, stored: 0, dropped: 0, rejected: 0 };
  let eventTime = options.from;
  const take = (): void => {
    const out = engine.drain();
    for (const r of out.intake) counts[r.outcome]++;
    counts.consumed += out.intake.length;
    for (const b of out.buckets) buckets.push(b);
    for (const d of out.decisions) decisions.push(d);
  };
  const onMessage = (m: ReplayMessage): void => {
    engine.push(m);
    if (m.timestamp > eventTime) eventTime = m.timestamp;
  };
  const onBatch = (read: number): void => {
    take();
    options.onProgress?.({ read, total: plan.total, eventTime });
  };
  const common = {
    topic,
    plan,
    onMessage,
    onBatch,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
  };
  if (options.threaded) await replayTopicInWorker({ ...common, kafka: options.threaded });
  else await replayTopic(kafka, { ...common, brokers });
  engine.flushWindows();
  take();
  return { partitions: plan.partitions, buckets, decisions, ...counts };
}
