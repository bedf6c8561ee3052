/**
 * The engine with normalize -> dedupe -> filter -> score in worker threads (score-worker.ts), so that
 * scoring runs on another core while this thread consumes Kafka, windows and writes. Each tweets.raw
 * partition belongs to one thread (its dedupe memory lives there). Results are applied to the window
 * in exactly the order the inputs were pushed, whatever thread answers first, so the window sees what
 * the inline engine sees; a cut is a barrier in that order, and its state is the threads' dedupe
 * memories and the window's state at the same point, a consistent checkpoint.
 */
import type { Worker } from 'node:worker_threads';
import type { Dropped } from '../../operators/index.js';
import { startModuleWorker } from '../start-worker.js';
import {
  createEngineWindow,
  type EngineOptions,
  type EngineSnapshot,
  type IntakeRecord,
  withDedupe,
} from './engine.js';
import type { CoreMessage, ProcessCore, ProcessCut, ScoreThreadsOption } from './process-core.js';
import {
  type ClassifiedMessage,
  type CutReply,
  type FromScoreWorker,
  packBatch,
  type ScoreWorkerData,
} from './score-thread-messages.js';
import { windowTweet } from './window-tweet.js';

export interface ScoreThreadsOptions {
  readonly topic: string;
  readonly threads: ScoreThreadsOption;
  readonly engine: EngineOptions;
  readonly from?: EngineSnapshot;
  /** Inputs in the threads before room() asks the caller to wait. */
  readonly maxInFlight?: number;
  /** A thread failed (a bug or a crash): the process must stop. */
  readonly onFailure: (error: Error) => void;
}

type Entry =
  | {
      readonly kind: 'batch';
      readonly partition: number;
      readonly messages: readonly CoreMessage[];
      result: ClassifiedMessage | null;
    }
  | {
      readonly kind: 'cut';
      readonly state: boolean;
      readonly replies: (CutReply | null)[];
      remaining: number;
      readonly resolve: (cut: ProcessCut) => void;
      readonly reject: (error: Error) => void;
    }
  | { readonly kind: 'advance'; readonly time: number }
  | { readonly kind: 'flush' };

export function createThreadedCore(options: ScoreThreadsOptions): ProcessCore {
  const { engine } = options;
  const partitions = [...engine.partitions].sort((a, b) => a - b);
  const count = Math.max(1, Math.min(options.threads.count, partitions.length));
  const maxInFlight = options.maxInFlight ?? 60_000;
  const sliceSize = 2_048;
  const owner = new Map(partitions.map((p, i) => [p, i % count] as const));
  const window = createEngineWindow(engine, options.from);
  const queue: Entry[] = [];
  const waiting: Entry[][] = Array.from({ length: count }, () => []);
  let inFlight = 0;
  let pendingInputs = 0;
  let roomWaiter: { promise: Promise<void>; resolve: () => void } | null = null;
  let failure: Error | null = null;
  let closing = false;

  const fail = (error: Error): void => {
    if (failure !== null) return;
    failure = error;
    for (const entry of queue) if (entry.kind === 'cut') entry.reject(error);
    roomWaiter?.resolve();
    options.onFailure(error);
  };

  const workers: Worker[] = Array.from({ length: count }, (_, w) => {
    const mine = partitions.filter((p) => owner.get(p) === w);
    const data: ScoreWorkerData = {
      topic: options.topic,
      partitions: mine,
      scoring: options.threads.scoring,
      ...(engine.normalize ? { normalize: engine.normalize } : {}),
      ...(engine.dedupe ? { dedupe: engine.dedupe } : {}),
      ...(engine.filter ? { filter: engine.filter } : {}),
      ...(engine.weight ? { weight: engine.weight } : {}),
      from: Object.fromEntries(
        mine.flatMap((p) => {
          const d = options.from?.dedupe[String(p)];
          return d === undefined ? [] : [[String(p), d] as const];
        }),
      ),
    };
    const young = options.threads.youngGenerationMb;
    const worker = startModuleWorker(import.meta.url, 'score-worker', {
      workerData: data,
      ...(young === undefined ? {} : { resourceLimits: { maxYoungGenerationSizeMb: young } }),
    });
    worker.on('message', (message: FromScoreWorker) => onReply(w, message));
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => {
      if (!closing) fail(new Error(`score thread ${w} exited (code ${code})`));
    });
    return worker;
  });

  function onReply(w: number, message: FromScoreWorker): void {
    if (message.kind === 'error') {
      const error = new Error(`score thread: ${message.message}`);
      error.name = message.name;
      if (message.stack) error.stack = message.stack;
      fail(error);
      return;
    }
    const entry = waiting[w]!.shift();
    if (entry?.kind === 'batch' && message.kind === 'classified') {
      entry.result = message;
    } else if (entry?.kind === 'cut' && message.kind === 'cut') {
      entry.replies[w] = message;
      entry.remaining--;
    } else {
      fail(new Error(`score thread ${w} answered out of order`));
      return;
    }
    pump();
  }

  /** Applies every entry at the head of the queue that is complete, in push order. */
  function pump(): void {
    while (queue.length > 0 && failure === null) {
      const head = queue[0]!;
      if (head.kind === 'batch') {
        if (head.result === null) return;
        applyBatch(head.partition, head.messages, head.result);
        inFlight -= head.messages.length;
      } else if (head.kind === 'cut') {
        if (head.remaining > 0) return;
        head.resolve(takeCut(head.state, head.replies as CutReply[]));
      } else if (head.kind === 'advance') {
        window.advanceWatermark(head.time);
      } else {
        window.flushWindows();
      }
      queue.shift();
    }
    if (roomWaiter !== null && inFlight < maxInFlight) {
      roomWaiter.resolve();
      roomWaiter = null;
    }
  }

  function applyBatch(partition: number, messages: readonly CoreMessage[], r: ClassifiedMessage): void {
    let k = 0;
    let s = 0;
    let rejected = 0;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      const eventTime = r.eventTimes[i]!;
      const outcome = r.outcomes[i];
      if (outcome === 0) {
        const id = r.strings[k++]!;
        const authorId = r.strings[k++]!;
        const n = r.symbolCounts[s]!;
        const symbols = r.strings.slice(k, k + n);
        k += n;
        const tweet = windowTweet(id, eventTime, authorId, symbols, r.scores[s]!, r.weights[s]!);
        s++;
        const intake: IntakeRecord = {
          partition,
          offset: m.offset,
          eventTime,
          tweetId: id,
          outcome: 'stored',
          stage: '',
          reason: '',
        };
        window.accept(intake, tweet, null);
      } else if (outcome === 1) {
        const tweetId = r.strings[k++]!;
        const stage = r.strings[k++]!;
        const reason = r.strings[k++]!;
        window.accept(
          { partition, offset: m.offset, eventTime, tweetId, outcome: 'dropped', stage, reason },
          null,
          null,
        );
      } else {
        const drop: Dropped = r.rejections[rejected++]!.drop;
        window.accept(
          {
            partition,
            offset: m.offset,
            eventTime,
            tweetId: '',
            outcome: 'rejected',
            stage: drop.stage,
            reason: drop.reason,
          },
          null,
          { input: { partition, offset: m.offset, value: m.value, timestamp: m.timestamp }, drop },
        );
      }
    }
  }

  function takeCut(state: boolean, replies: readonly CutReply[]): ProcessCut {
    const out = window.drain();
    const encoded = {
      tweets: replies.map((r) => r.tweets),
      intake: replies.map((r) => r.intake),
      tweetsJson: replies.flatMap((r) => r.tweetsJson),
      intakeJson: replies.flatMap((r) => r.intakeJson),
    };
    if (!state) return { out, encoded, state: null };
    const dedupe = Object.assign({}, ...replies.map((r) => r.dedupe ?? {}));
    const sorted = Object.fromEntries(partitions.map((p) => [String(p), dedupe[String(p)]]));
    return { out, encoded, state: withDedupe(window.snapshot(), sorted) };
  }

  const enqueue = (entry: Entry): void => {
    queue.push(entry);
    if (entry.kind !== 'batch' && entry.kind !== 'cut') pump();
  };

  return {
    push(partition, messages) {
      if (failure !== null) throw failure;
      const w = owner.get(partition);
      if (w === undefined) {
        throw new RangeError(`partition ${partition} is not one of ${partitions.join(',')}`);
      }
      // In slices, so a thread starts on the first while the next is packed and results flow back early.
      for (let at = 0; at < messages.length; at += sliceSize) {
        const slice = messages.length <= sliceSize ? messages : messages.slice(at, at + sliceSize);
        const entry: Entry = { kind: 'batch', partition, messages: slice, result: null };
        enqueue(entry);
        waiting[w]!.push(entry);
        inFlight += slice.length;
        pendingInputs += slice.length;
        const packed = packBatch(partition, slice);
        workers[w]!.postMessage(packed, [packed.bytes.buffer, packed.ends.buffer, packed.timestamps.buffer]);
      }
    },
    room() {
      if (failure !== null || inFlight < maxInFlight) return null;
      if (roomWaiter === null) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => {
          resolve = r;
        });
        roomWaiter = { promise, resolve };
      }
      return roomWaiter.promise;
    },
    cut(state) {
      if (failure !== null) return Promise.reject(failure);
      pendingInputs = 0;
      return new Promise<ProcessCut>((resolve, reject) => {
        const entry: Entry = {
          kind: 'cut',
          state,
          replies: workers.map(() => null),
          remaining: count,
          resolve,
          reject,
        };
        enqueue(entry);
        workers.forEach((worker, w) => {
          waiting[w]!.push(entry);
          worker.postMessage({ kind: 'cut', state });
        });
      });
    },
    advanceWatermark: (time) => enqueue({ kind: 'advance', time }),
    flushWindows: () => enqueue({ kind: 'flush' }),
    get pendingInputs() {
      return pendingInputs;
    },
    get pendingOutput() {
      return window.pendingOutput;
    },
    get latestEventTime() {
      return window.latestEventTime;
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
