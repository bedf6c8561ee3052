/**
 * What `runProcess` drives: the engine behind one interface, either in the consuming thread (inline)
 * or with normalize -> dedupe -> filter -> score spread over score threads (score-threads.ts). Either
 * way a cut is taken in input order: its output and state cover exactly the inputs pushed before it.
 */
import type { ScoringOptions } from '../../operators/index.js';
import {
  createEngine,
  createEngineWindow,
  type EngineOptions,
  type EngineOutput,
  type EngineSnapshot,
  type Rejection,
  withDedupe,
} from './engine.js';
import { addTally, emptyTally, type IntakeTally, tallyOf } from './intake-tally.js';
import { startScoreThreads } from './score-threads.js';
import type { CutReply } from './score-worker.js';

export interface CoreMessage {
  readonly offset: string;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

/** Rows of the big tables already encoded by the score threads (see tsv-rows.ts). */
export interface EncodedRows {
  readonly tweets: readonly string[];
  readonly intake: readonly string[];
  /** Rows TSV cannot carry exactly, as rows.ts objects. */
  readonly tweetsJson: readonly Record<string, unknown>[];
  readonly intakeJson: readonly Record<string, unknown>[];
}

export interface ProcessCut {
  /**
   * What the inputs before the cut produced. With score threads, `intake` and `scored` stay empty:
   * their rows are in `encoded` and their counts in `tally`.
   */
  readonly out: EngineOutput;
  readonly encoded: EncodedRows | null;
  readonly tally: IntakeTally;
  /** The state right after those inputs, when asked for. */
  readonly state: EngineSnapshot | null;
}

export interface ProcessCore {
  /** Hands one partition's messages on, in offset order. */
  push(partition: number, messages: readonly CoreMessage[]): void;
  /** Null when more input may be pushed now; else settles once it may (score threads caught up). */
  room(): Promise<void> | null;
  /** Takes the output of every input pushed so far (and the state there, when `state`). */
  cut(state: boolean): Promise<ProcessCut>;
  /** In input order: moves every partition's watermark to at least `time` (idle live streams). */
  advanceWatermark(time: number): void;
  /** In input order: closes every open bucket (end of input). */
  flushWindows(): void;
  /** Inputs pushed since the last cut. */
  readonly pendingInputs: number;
  /** Closed buckets, decisions or late tweets wait for a cut. */
  readonly pendingOutput: boolean;
  readonly latestEventTime: number | null;
  close(): Promise<void>;
}

export interface ScoreThreadsOption {
  /** Threads that run normalize -> dedupe -> filter -> score; the partitions are spread over them. */
  readonly count: number;
  /**
   * What `engine.scoring` was built from (createScoringModel(scoring)): each thread builds its own
   * model, since a model holds functions that cannot cross threads.
   */
  readonly scoring: ScoringOptions;
  /** V8 young generation per thread, MB (allocation-heavy work runs fewer scavenges with more). */
  readonly youngGenerationMb?: number;
}

export function createInlineCore(options: EngineOptions, from?: EngineSnapshot): ProcessCore {
  const engine = createEngine(options, from);
  return {
    push(partition, messages) {
      for (const m of messages) {
        engine.push({ partition, offset: m.offset, value: m.value, timestamp: m.timestamp });
      }
    },
    room: () => null,
    cut(state) {
      const out = engine.drain();
      return Promise.resolve({
        out,
        encoded: null,
        tally: tallyOf(out.intake),
        state: state ? engine.snapshot() : null,
      });
    },
    advanceWatermark: (time) => engine.advanceWatermark(time),
    flushWindows: () => engine.flushWindows(),
    get pendingInputs() {
      return engine.pendingInputs;
    },
    get pendingOutput() {
      return engine.pendingOutput;
    },
    get latestEventTime() {
      return engine.latestEventTime;
    },
    close: () => Promise.resolve(),
  };
}

export interface ThreadedCoreOptions {
  readonly topic: string;
  readonly threads: ScoreThreadsOption;
  readonly engine: EngineOptions;
  readonly from?: EngineSnapshot;
  /** Frames (about 1 MiB each) a thread may have queued before room() asks the caller to wait. */
  readonly framesAhead?: number;
  /** A thread failed (a bug or a crash): the process must stop. */
  readonly onFailure: (error: Error) => void;
}

/**
 * The engine with its first half in score threads: they classify and encode the rows of the big
 * tables, this thread windows their records (createEngineWindow) and collects counts and rejections.
 */
export function createThreadedCore(options: ThreadedCoreOptions): ProcessCore {
  const { engine } = options;
  const window = createEngineWindow(engine, options.from);
  let tally = emptyTally();
  let rejected: Rejection[] = [];
  let latest: number | null = null;
  let pendingInputs = 0;
  const young = options.threads.youngGenerationMb;
  const threads = startScoreThreads({
    partitions: engine.partitions,
    count: options.threads.count,
    settings: {
      scoring: options.threads.scoring,
      ...(engine.normalize ? { normalize: engine.normalize } : {}),
      ...(engine.dedupe ? { dedupe: engine.dedupe } : {}),
      ...(engine.filter ? { filter: engine.filter } : {}),
      ...(engine.weight ? { weight: engine.weight } : {}),
    },
    rows: { topic: options.topic },
    ...(options.from ? { from: options.from.dedupe } : {}),
    records: window,
    onFrame(frame) {
      addTally(tally, frame.tally);
      if (frame.tally.consumed > 0 && (latest === null || frame.tally.latestEventTime > latest)) {
        latest = frame.tally.latestEventTime;
      }
      for (const r of frame.rejections) rejected.push(r);
    },
    onFailure: options.onFailure,
    ...(options.framesAhead === undefined ? {} : { framesAhead: options.framesAhead }),
    ...(young === undefined ? {} : { youngGenerationMb: young }),
  });
  const partitions = [...engine.partitions].sort((a, b) => a - b);
  /** The threads' dedupe memories, keys in partition order (as the inline engine's). */
  const dedupeOf = (replies: readonly CutReply[]): EngineSnapshot['dedupe'] => {
    const all: EngineSnapshot['dedupe'] = Object.assign({}, ...replies.map((r) => r.dedupe));
    return Object.fromEntries(partitions.map((p) => [String(p), all[String(p)]!]));
  };
  /** In input order; a failure reaches onFailure. */
  const inOrder = (step: () => void): void => {
    threads.barrier(null, step).catch(() => undefined);
  };
  return {
    push(partition, messages) {
      for (const m of messages) {
        threads.add({ partition, offset: m.offset, value: m.value, timestamp: m.timestamp });
      }
      threads.send();
      pendingInputs += messages.length;
    },
    room: () => threads.room(),
    cut(state) {
      pendingInputs = 0;
      return threads.barrier({ state }, (replies) => {
        const out = { ...window.drain(), rejected };
        const cut: ProcessCut = {
          out,
          encoded: {
            tweets: replies.map((r) => r.rows.tweets),
            intake: replies.map((r) => r.rows.intake),
            tweetsJson: replies.flatMap((r) => r.rows.tweetsJson),
            intakeJson: replies.flatMap((r) => r.rows.intakeJson),
          },
          tally,
          state: state ? withDedupe(window.snapshot(), dedupeOf(replies)) : null,
        };
        tally = emptyTally();
        rejected = [];
        return cut;
      });
    },
    advanceWatermark: (time) => inOrder(() => window.advanceWatermark(time)),
    flushWindows: () => inOrder(() => window.flushWindows()),
    get pendingInputs() {
      return pendingInputs;
    },
    get pendingOutput() {
      return window.pendingOutput;
    },
    get latestEventTime() {
      return latest;
    },
    close: () => threads.close(),
  };
}
