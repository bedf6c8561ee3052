/**
 * A replay over several threads: this thread fetches and decodes Kafka (replayTopic) and windows,
 * while score threads run normalize -> dedupe -> filter -> score for disjoint sets of partitions
 * (replay-scorer.ts) and hand back compact scored records (scored-frames.ts) that this thread windows
 * and decides on (replay-window.ts). The costly per-tweet work thus spreads over every core while each
 * partition is still scored in its offset order by one thread, as the engine does.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Kafka } from 'kafkajs';
import { startModuleWorker } from '../start-worker.js';
import { type Frame, FrameWriter } from './replay-frames.js';
import type { FromScorer, ToScorer } from './replay-scorer.js';
import { type ReplayPlan, replayTopic } from './replay-topic.js';
import type { ScorerSettings } from './score-frames.js';
import { createScoredFrameReader, type ScoredFrame, type ScoredRecordHandler } from './scored-frames.js';

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
  /** Frames (about 1 MiB each) a score thread may have queued before fetching waits for it. */
  readonly framesAhead?: number;
  /** Score threads (default: see defaultScoreThreads), at most one per partition to read. */
  readonly scoreThreads?: number;
}

/** One per core: this thread fetches and windows besides (about a quarter of the work), so more only adds start-up and memory (measured: 2 beat 3 on 2 cores). */
export const defaultScoreThreads = (): number => availableParallelism();

/** Partitions dealt round-robin over `n` score threads. */
export function routePartitions(partitions: readonly number[], n: number): number[][] {
  const shares: number[][] = Array.from({ length: n }, () => []);
  for (const [i, p] of [...partitions].sort((a, b) => a - b).entries()) shares[i % n]!.push(p);
  return shares;
}

interface Lane {
  readonly worker: Worker;
  readonly writer: FrameWriter;
  readonly reader: ReturnType<typeof createScoredFrameReader>;
  inFlight: number;
}

/** Replays the plan; resolves with the number of messages read once every one was scored and windowed. */
export async function replayInThreads(kafka: Kafka, options: ThreadedReplayOptions): Promise<number> {
  const { plan } = options;
  if (plan.ranges.length === 0) return 0;
  const reading = plan.ranges.map((r) => r.partition);
  const n = Math.max(1, Math.min(reading.length, options.scoreThreads ?? defaultScoreThreads()));
  const framesAhead = options.framesAhead ?? 8;
  const shares = routePartitions(reading, n);
  const lanes: Lane[] = shares.map((partitions) => ({
    worker: startModuleWorker(import.meta.url, 'replay-scorer', {
      workerData: { ...options.scoring, partitions },
    }),
    writer: new FrameWriter(),
    reader: createScoredFrameReader(),
    inFlight: 0,
  }));
  const laneOf = new Map<number, Lane>();
  for (const [i, share] of shares.entries()) for (const p of share) laneOf.set(p, lanes[i]!);

  let waiting: (() => void) | null = null;
  const wake = (): void => {
    waiting?.();
    waiting = null;
  };
  // A score thread's failure stops the fetching (through this signal) and is what the replay throws.
  const stop = new AbortController();
  let failure: unknown;
  let closing = false;
  const fail = (error: unknown): void => {
    failure ??= error;
    stop.abort();
    wake();
  };
  const onAbort = (): void => fail(new Error('backtest aborted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const until = async (ready: () => boolean): Promise<void> => {
    while (!ready() && failure === undefined) {
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
    }
  };

  for (const lane of lanes) {
    lane.worker.on('message', (message: FromScorer) => {
      if (failure !== undefined) return;
      if (message.kind === 'error') {
        fail(new Error(`replay score thread failed: ${message.message}`));
        return;
      }
      lane.inFlight--;
      lane.writer.recycle(message.buffer);
      try {
        lane.reader.read(message.frame, options.records);
        options.onFrame?.(message.frame);
      } catch (error) {
        fail(error);
        return;
      }
      wake();
    });
    lane.worker.once('error', fail);
    lane.worker.once('exit', (code) => {
      if (!closing) fail(new Error(`replay score thread exited with code ${code}`));
    });
  }
  const send = (lane: Lane, frame: Frame | null): void => {
    if (frame === null) return;
    lane.inFlight++;
    lane.worker.postMessage({ kind: 'frame', frame } satisfies ToScorer, [frame.buffer]);
  };

  try {
    const read = await replayTopic(kafka, {
      topic: options.topic,
      brokers: options.brokers,
      plan,
      signal: stop.signal,
      ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
      onMessage: (m) => {
        const lane = laneOf.get(m.partition);
        if (lane === undefined) throw new RangeError(`no score thread for partition ${m.partition}`);
        send(lane, lane.writer.add(m));
      },
      onBatch: async () => {
        for (const lane of lanes) send(lane, lane.writer.take());
        await until(() => lanes.every((lane) => lane.inFlight < framesAhead));
      },
    }).catch((error: unknown) => {
      throw failure ?? error;
    });
    for (const lane of lanes) send(lane, lane.writer.take());
    await until(() => lanes.every((lane) => lane.inFlight === 0));
    if (failure !== undefined) throw failure;
    return read;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    closing = true;
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }
}
