/**
 * What `runProcess` drives: the engine behind one interface, either in the consuming thread (inline)
 * or with normalize -> dedupe -> filter -> score spread over score threads (score-threads.ts). Either
 * way a cut is taken in input order: its output and state cover exactly the inputs pushed before it.
 */
import type { ScoringOptions } from '../../operators/index.js';
import { createEngine, type EngineOptions, type EngineOutput, type EngineSnapshot } from './engine.js';

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
   * What the inputs before the cut produced. With score threads, `scored` holds only what the window
   * reads (id, createdAt, authorId, symbols, score, weight) and their rows are in `encoded`.
   */
  readonly out: EngineOutput;
  readonly encoded: EncodedRows | null;
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
    cut: (state) =>
      Promise.resolve({ out: engine.drain(), encoded: null, state: state ? engine.snapshot() : null }),
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
