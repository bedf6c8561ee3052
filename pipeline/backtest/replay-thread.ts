/**
 * A replay over several threads: a fetch thread reads and decodes Kafka (replay-worker.ts), score
 * threads run normalize -> dedupe -> filter -> score for disjoint sets of partitions
 * (replay-scorer.ts), and this thread only windows and decides on the compact scored records
 * (replay-window.ts). The costly per-tweet work thus spreads over every core while each partition
 * is still scored in its offset order by one thread, as the engine does.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { RejectedError, UnavailableError } from '../../sinks/errors.js';
import type { KafkaClientOptions } from '../../sinks/kafka/client.js';
import type { ReplayScorerData } from './replay-scorer.js';
import type { ReplayPlan } from './replay-topic.js';
import type { ReplayWorkerData } from './replay-worker.js';
import type { FrameScorerOptions } from './score-frames.js';
import { createScoredFrameReader, type ScoredFrame, type ScoredRecordHandler } from './scored-frames.js';
import { startWorker } from './ts-worker.js';

export interface ThreadedReplayOptions {
  readonly kafka: Omit<KafkaClientOptions, 'logger'>;
  readonly topic: string;
  readonly plan: ReplayPlan;
  /** How the score threads build the engine's scoring and filter. */
  readonly scoring: Omit<FrameScorerOptions, 'partitions'>;
  /** Receives every record, each partition's in offset order. */
  readonly records: ScoredRecordHandler;
  /** After each scored frame, with its counts. */
  readonly onFrame?: (frame: ScoredFrame) => void;
  readonly maxBytesPerPartition?: number;
  readonly signal?: AbortSignal;
  /** Frames (about 1 MiB each) the fetch thread may run ahead of each score thread. */
  readonly framesAhead?: number;
  /** Score threads (default: one per partition to read, at most one more than the cores). */
  readonly scoreThreads?: number;
}

type FromFetch = { kind: 'done'; read: number } | { kind: 'error'; message: string; retriable: boolean };
type FromScorer =
  | { kind: 'scored'; frame: ScoredFrame }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

/** Partitions dealt round-robin over `n` score threads. */
export function routePartitions(partitions: readonly number[], n: number): number[][] {
  const shares: number[][] = Array.from({ length: n }, () => []);
  for (const [i, p] of [...partitions].sort((a, b) => a - b).entries()) shares[i % n]!.push(p);
  return shares;
}

export function replayInThreads(options: ThreadedReplayOptions): Promise<number> {
  const { plan } = options;
  if (plan.ranges.length === 0) return Promise.resolve(0);
  const reading = plan.ranges.map((r) => r.partition);
  const n = Math.max(1, Math.min(reading.length, options.scoreThreads ?? availableParallelism() + 1));
  const shares = routePartitions(reading, n);
  const route: Record<number, number> = {};
  for (const [i, share] of shares.entries()) for (const p of share) route[p] = i;

  const workers: Worker[] = [];
  const channels = shares.map(() => new MessageChannel());
  const scorers = shares.map((partitions, i) => {
    const data: ReplayScorerData = { ...options.scoring, partitions, input: channels[i]!.port2 };
    return startWorker('replay-scorer', {
      workerData: data,
      transferList: [channels[i]!.port2],
    });
  });
  workers.push(...scorers);
  const fetchData: ReplayWorkerData = {
    kafka: options.kafka,
    topic: options.topic,
    partitions: plan.partitions,
    ranges: plan.ranges.map((r) => ({ partition: r.partition, start: String(r.start), end: String(r.end) })),
    framesAhead: options.framesAhead ?? 8,
    scorers: channels.map((c) => c.port1),
    route,
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
  };
  const fetcher = startWorker('replay-worker', {
    workerData: fetchData,
    transferList: channels.map((c) => c.port1),
  });
  workers.push(fetcher);

  return new Promise<number>((resolve, reject) => {
    let settled = false;
    let read: number | null = null;
    let scoring = scorers.length;
    const settle = (error: unknown, value = 0): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      for (const w of workers) void w.terminate();
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const finishIfDone = (): void => {
      if (read !== null && scoring === 0) settle(undefined, read);
    };
    const abort = (): void => settle(new Error('backtest aborted'));
    options.signal?.addEventListener('abort', abort, { once: true });
    for (const w of workers) {
      w.once('error', (error) => settle(error));
      w.once('exit', (code) => settle(new Error(`replay thread exited with code ${code} before the end`)));
    }
    fetcher.on('message', (message: FromFetch) => {
      if (message.kind === 'done') {
        read = message.read;
        finishIfDone();
      } else {
        settle(
          message.retriable
            ? new UnavailableError('kafka', message.message)
            : new RejectedError('kafka', message.message),
        );
      }
    });
    for (const scorer of scorers) {
      const reader = createScoredFrameReader();
      scorer.on('message', (message: FromScorer) => {
        if (settled) return;
        if (message.kind === 'scored') {
          try {
            reader.read(message.frame, options.records);
            options.onFrame?.(message.frame);
          } catch (error) {
            settle(error);
            return;
          }
          scorer.postMessage('ack');
        } else if (message.kind === 'done') {
          scoring--;
          finishIfDone();
        } else {
          settle(new Error(`replay score thread failed: ${message.message}`));
        }
      });
    }
  });
}
