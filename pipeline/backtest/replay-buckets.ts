/**
 * The shared stage of a backtest: tweets.raw [from, to) through the live engine (normalize -> dedupe
 * -> filter -> score -> window, one watermark per partition) into closed hourly buckets, flushed at
 * the end of input. Buckets do not depend on strategy parameters, so a sweep computes them once and
 * runs every parameter set over the same list, in the order the engine closed them.
 *
 * Threaded (the default of `backtest`), the engine's two halves run apart: score threads classify
 * each partition with the engine's classifyInput and this thread windows their records exactly as
 * the engine's window half does (replay-thread.ts); else the engine itself runs here.
 */
import type { Kafka } from 'kafkajs';
import type { Bucket, Decision, DedupeOptions, NormalizeOptions, Strategy } from '../../operators/index.js';
import { engineOptionsFrom } from '../config.js';
import { createEngine, createEngineWindow } from '../process/engine.js';
import { replayInThreads } from './replay-thread.js';
import { planReplay, type ReplayMessage, type ReplayPlan, replayTopic } from './replay-topic.js';
import { type EngineConfig, scorerSettingsFrom } from './scorer-settings.js';

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
  /** The engine sections of the config (scoring, filter, weights, window), as `process` takes them. */
  readonly config: EngineConfig;
  readonly strategy: Strategy;
  readonly strategyName?: string;
  readonly normalize?: NormalizeOptions;
  readonly dedupe?: DedupeOptions;
  readonly onProgress?: (progress: ReplayProgress) => void;
  readonly signal?: AbortSignal;
  /** Offsets already planned (planReplay); planned here otherwise. */
  readonly plan?: ReplayPlan;
  readonly maxBytesPerPartition?: number;
  /**
   * Score threads: given (> 0), normalize/dedupe/filter/score run in that many worker threads over
   * disjoint partition sets while this thread fetches and windows (every core). Absent or 0, the
   * engine runs here.
   */
  readonly scoreThreads?: number;
}

export async function replayBuckets(kafka: Kafka, options: ReplayBucketsOptions): Promise<ReplayedBuckets> {
  const { topic, brokers } = options;
  const plan =
    options.plan ?? (await planReplay(kafka, { topic, brokers, from: options.from, to: options.to }));
  return options.scoreThreads ? replayThreaded(kafka, plan, options) : replayHere(kafka, plan, options);
}

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

async function replayThreaded(
  kafka: Kafka,
  plan: ReplayPlan,
  options: ReplayBucketsOptions,
): Promise<ReplayedBuckets> {
  const window = createEngineWindow({
    partitions: plan.partitions,
    strategy: options.strategy,
    window: engineOptionsFrom(options.config).window,
    ...optional('strategyName', options.strategyName),
  });
  const buckets: Bucket[] = [];
  const decisions: Decision[] = [];
  const counts = { consumed: 0, stored: 0, dropped: 0, rejected: 0 };
  let eventTime = options.from;
  const take = (): void => {
    const out = window.drain();
    for (const b of out.buckets) buckets.push(b);
    for (const d of out.decisions) decisions.push(d);
  };
  await replayInThreads(kafka, {
    topic: options.topic,
    brokers: options.brokers,
    plan,
    scoring: {
      ...scorerSettingsFrom(options.config),
      ...optional('normalize', options.normalize),
      ...optional('dedupe', options.dedupe),
    },
    records: window,
    onFrame: ({ tally, maxTimestamp }) => {
      counts.consumed += tally.consumed;
      counts.stored += tally.stored;
      counts.dropped += tally.dropped;
      counts.rejected += tally.rejected;
      if (maxTimestamp > eventTime) eventTime = maxTimestamp;
      take();
      options.onProgress?.({ read: counts.consumed, total: plan.total, eventTime });
    },
    ...optional('signal', options.signal),
    ...optional('maxBytesPerPartition', options.maxBytesPerPartition),
    ...optional('scoreThreads', options.scoreThreads),
  });
  window.flushWindows();
  take();
  return { partitions: plan.partitions, buckets, decisions, ...counts };
}

async function replayHere(
  kafka: Kafka,
  plan: ReplayPlan,
  options: ReplayBucketsOptions,
): Promise<ReplayedBuckets> {
  const { topic, brokers } = options;
  const settings = engineOptionsFrom(options.config);
  const engine = createEngine({
    partitions: plan.partitions,
    scoring: settings.scoring,
    filter: settings.filter,
    window: settings.window,
    weight: settings.weight,
    strategy: options.strategy,
    ...optional('normalize', options.normalize),
    ...optional('dedupe', options.dedupe),
    ...optional('strategyName', options.strategyName),
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
  await replayTopic(kafka, {
    topic,
    brokers,
    plan,
    onMessage,
    onBatch,
    ...optional('signal', options.signal),
    ...optional('maxBytesPerPartition', options.maxBytesPerPartition),
  });
  engine.flushWindows();
  take();
  return { partitions: plan.partitions, buckets, decisions, ...counts };
}
