/**
 * A replay over several threads: this thread fetches and decodes Kafka (replayTopic) and windows,
 * while score threads (pipeline/process/score-threads.ts, the ones `process` runs) score disjoint sets
 * of partitions and hand back compact records that this thread windows and decides on. The costly
 * per-tweet work thus spreads over every core while each partition is still scored in its offset order
 * by one thread, as the engine does.
 */
import type { Kafka } from 'kafkajs';
import type { ScorerSettings } from '../process/frame-scorer.js';
import { startScoreThreads } from '../process/score-threads.js';
import type { ScoredFrame, ScoredRecordHandler } from '../process/scored-frames.js';
import { type ReplayPlan, replayTopic } from './replay-topic.js';

export interface ThreadedReplayOptions {
  readonly topic: string;
  readonly brokers: readonly string[];
  readonly plan: ReplayPlan;
  /** How the score threads build the engine's scoring and filter. */
  readonly scoring: ScorerSettings;
  /** Receives every record, each partition's in offset order. */
  readonly records: ScoredRecordHandler;
  /** After each scored frame, with its counts. */
  readonly onFrame?: (frame: ScoredFrame) => void;
  readonly maxBytesPerPartition?: number;
  readonly signal?: AbortSignal;
  /** Score threads (default: defaultScoreThreads), at most one per partition to read. */
  readonly scoreThreads?: number;
}

/** Replays the plan; resolves with the number of messages read once every one was scored and windowed. */
export async function replayInThreads(kafka: Kafka, options: ThreadedReplayOptions): Promise<number> {
  const { plan } = options;
  if (plan.ranges.length === 0) return 0;
  // A score thread's failure stops the fetching (through this signal) and is what the replay throws.
  const stop = new AbortController();
  let failure: unknown;
  const fail = (error: unknown): void => {
    failure ??= error;
    stop.abort();
  };
  const threads = startScoreThreads({
    partitions: plan.ranges.map((r) => r.partition),
    ...(options.scoreThreads === undefined ? {} : { count: options.scoreThreads }),
    settings: options.scoring,
    records: options.records,
    // Stopped (aborted, or a thread failed): frames still in flight are no longer reported.
    onFrame: (frame) => {
      if (failure === undefined) options.onFrame?.(frame);
    },
    onFailure: fail,
  });
  const onAbort = (): void => fail(new Error('backtest aborted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const read = await replayTopic(kafka, {
      topic: options.topic,
      brokers: options.brokers,
      plan,
      signal: stop.signal,
      ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
      onMessage: (m) => threads.add(m),
      onBatch: async () => {
        threads.send();
        await threads.room();
      },
    }).catch((error: unknown) => {
      throw failure ?? error;
    });
    await threads.barrier(null, () => undefined);
    if (failure !== undefined) throw failure;
    return read;
  } catch (error) {
    throw failure ?? error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await threads.close();
  }
}
