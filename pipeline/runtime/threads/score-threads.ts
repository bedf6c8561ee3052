/**
 * Score threads, for `process` and `backtest` alike: the score half of the chain runs in worker threads
 * (score-worker.ts) over disjoint sets of tweets.raw partitions, while this thread consumes Kafka and
 * windows. Each partition belongs to one thread (its score task lives there), so it is scored in offset
 * order, as on one thread.
 *
 * Messages go out packed in raw frames (raw-frames.ts), answers come back as scored frames
 * (scored-frames.ts) and are handed to `records` in exactly the order the messages were added, whatever
 * thread answers first; a barrier (cut) is a point in that order, so what it sees covers exactly the
 * messages added before it: with the threads' rows and dedupe memories from the same point, a
 * consistent checkpoint.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../start-worker.js';
import { type Frame, FrameWriter, type RawMessage } from './raw-frames.js';
import type { CutReply, FromScoreWorker, ScoreWorkerData, ToScoreWorker } from './score-worker.js';
import { createScoredFrameReader, type ScoredFrame, type ScoredRecordHandler } from './scored-frames.js';
import type { ScorerSettings, ThreadScorerOptions } from './thread-scorer.js';

export interface ScoreThreadsOptions {
  /** The partitions to score; each goes to one thread. */
  readonly partitions: readonly number[];
  /** Threads (default: defaultScoreThreads()), at most one per partition. */
  readonly count?: number;
  readonly settings: ScorerSettings;
  /** URL of the chain module every thread loads (chain-module.ts). */
  readonly chainModule: string;
  /** Encode rows of the big tables in the threads (see thread-scorer.ts). */
  readonly rows?: ThreadScorerOptions['rows'];
  readonly from?: ThreadScorerOptions['from'];
  /** Receives every record, in the order the messages were added. */
  readonly records: ScoredRecordHandler;
  /** After each scored frame's records, with the frame (counts, rejections). */
  readonly onFrame?: (frame: ScoredFrame) => void;
  /** A thread failed (a bug or a crash): whoever runs them must stop. */
  readonly onFailure: (error: Error) => void;
  /** V8 young generation per thread, MB (allocation-heavy work runs fewer scavenges with more). */
  readonly youngGenerationMb?: number;
}

export interface ScoreThreads {
  /** Adds one message; per partition in offset order. Full frames go out at once. */
  add(message: RawMessage): void;
  /** Sends every partly filled frame. */
  send(): void;
  /**
   * A barrier after every message added so far: `at` runs synchronously once all of them were handed
   * to `records`, with each thread's cut reply when `ask` is given (rows, and dedupe memories when
   * `state`), before any later record.
   */
  barrier<T>(ask: { readonly state: boolean } | null, at: (replies: readonly CutReply[]) => T): Promise<T>;
  close(): Promise<void>;
}

/**
 * A score thread's V8 young generation, MB (V8's default is 48: 16 MB semi-spaces). Scoring allocates
 * short-lived objects for every message; with 64 MB semi-spaces scavenges run a quarter as often and
 * find less alive. process.e2e, 1M envelopes: the process's CPU 66-68 s -> 58.8 s (per-thread CPU from
 * /proc), 96 MB made no difference. Peak RSS stays within run-to-run noise (the space fills only when
 * the thread is busy).
 */
export const SCORE_THREAD_YOUNG_MB = 192;

/** One per core: the consuming thread's share (fetching, windowing, writing) is the smaller one. */
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
  /** Frames and cuts sent and not answered yet, in order. */
  readonly waiting: Entry[];
}

type Entry =
  | {
      readonly kind: 'frame';
      readonly lane: Lane;
      answer: { frame: ScoredFrame; buffer: ArrayBuffer } | null;
    }
  | {
      readonly kind: 'barrier';
      readonly replies: (CutReply | null)[];
      remaining: number;
      readonly run: (replies: readonly CutReply[]) => void;
      readonly reject: (error: Error) => void;
    };

export function startScoreThreads(options: ScoreThreadsOptions): ScoreThreads {
  const partitions = [...options.partitions].sort((a, b) => a - b);
  const count = Math.max(1, Math.min(partitions.length, options.count ?? defaultScoreThreads()));
  const young = options.youngGenerationMb ?? SCORE_THREAD_YOUNG_MB;
  const queue: Entry[] = [];
  let failure: Error | null = null;
  let closing = false;

  const fail = (error: Error): void => {
    if (failure !== null) return;
    failure = error;
    for (const entry of queue) if (entry.kind === 'barrier') entry.reject(error);
    options.onFailure(error);
  };

  const shares = routePartitions(partitions, count);
  const lanes: Lane[] = shares.map((mine, i) => {
    const data: ScoreWorkerData = {
      ...options.settings,
      chainModule: options.chainModule,
      partitions: mine,
      ...(options.rows ? { rows: options.rows } : {}),
      ...(options.from
        ? {
            from: Object.fromEntries(
              mine.flatMap((p) => {
                const d = options.from?.[String(p)];
                return d === undefined ? [] : [[String(p), d] as const];
              }),
            ),
          }
        : {}),
    };
    const worker = startModuleWorker(import.meta.url, 'score-worker', {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: young },
    });
    const lane: Lane = { worker, writer: new FrameWriter(), reader: createScoredFrameReader(), waiting: [] };
    worker.on('message', (message: FromScoreWorker) => onReply(lane, i, message));
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => {
      if (!closing) fail(new Error(`score thread ${i} exited (code ${code})`));
    });
    return lane;
  });
  const laneOf = new Map(shares.flatMap((mine, i) => mine.map((p) => [p, lanes[i]!] as const)));

  function onReply(lane: Lane, i: number, message: FromScoreWorker): void {
    if (failure !== null) return;
    if (message.kind === 'error') {
      const error = new Error(`score thread: ${message.message}`);
      error.name = message.name;
      if (message.stack) error.stack = message.stack;
      fail(error);
      return;
    }
    const entry = lane.waiting.shift();
    if (entry?.kind === 'frame' && message.kind === 'scored') {
      entry.answer = message;
    } else if (entry?.kind === 'barrier' && message.kind === 'cut') {
      entry.replies[i] = message;
      entry.remaining--;
    } else {
      fail(new Error(`score thread ${i} answered out of order`));
      return;
    }
    pump();
  }

  /** Hands on every answered entry at the head of the queue, in the order they were sent. */
  function pump(): void {
    try {
      while (queue.length > 0 && failure === null) {
        const head = queue[0]!;
        if (head.kind === 'frame') {
          if (head.answer === null) break;
          head.lane.writer.recycle(head.answer.buffer);
          head.lane.reader.read(head.answer.frame, options.records);
          options.onFrame?.(head.answer.frame);
        } else {
          if (head.remaining > 0) break;
          head.run(head.replies as CutReply[]);
        }
        queue.shift();
      }
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  const post = (lane: Lane, frame: Frame | null): void => {
    if (frame === null) return;
    const entry: Entry = { kind: 'frame', lane, answer: null };
    queue.push(entry);
    lane.waiting.push(entry);
    lane.worker.postMessage({ kind: 'frame', frame } satisfies ToScoreWorker, [frame.buffer]);
  };

  return {
    add(message) {
      if (failure !== null) throw failure;
      const lane = laneOf.get(message.partition);
      if (lane === undefined) {
        throw new RangeError(`partition ${message.partition} is not one of ${partitions.join(',')}`);
      }
      post(lane, lane.writer.add(message));
    },
    send() {
      for (const lane of lanes) post(lane, lane.writer.take());
    },
    barrier(ask, at) {
      if (failure !== null) return Promise.reject(failure);
      for (const lane of lanes) post(lane, lane.writer.take());
      return new Promise((resolve, reject) => {
        const entry: Entry = {
          kind: 'barrier',
          replies: lanes.map(() => null),
          remaining: ask === null ? 0 : lanes.length,
          run: (replies) => resolve(at(replies)),
          reject,
        };
        queue.push(entry);
        if (ask !== null) {
          for (const lane of lanes) {
            lane.waiting.push(entry);
            lane.worker.postMessage({ kind: 'cut', state: ask.state } satisfies ToScoreWorker);
          }
        }
        pump();
      });
    },
    async close() {
      closing = true;
      await Promise.all(lanes.map((lane) => lane.worker.terminate()));
    },
  };
}
