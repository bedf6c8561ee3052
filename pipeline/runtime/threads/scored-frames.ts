/**
 * What a score thread (score-worker.ts) hands the windowing thread, in `process` and in `backtest`:
 * per tweets.raw message either nothing, a watermark advance of its partition, or the few fields of a
 * stored tweet the window reads (event time, score, weight, author, symbols and, when asked, its id),
 * in columns of transferable typed arrays plus arrays of strings. Symbol lists are interned per score
 * thread: each frame carries only the lists that are new. What the messages became is counted
 * (tally.ts), not listed; rejections come whole, with their payload, for the DLQ.
 *
 * Consecutive non-stored messages of one partition collapse into one advance to their largest event
 * time: advancing one source twice closes exactly the buckets (in the same order) that one advance to
 * the larger time closes, so the window sees what the single engine sees.
 */
import { countInput, emptyTally, type IntakeTally, type Rejection } from '../tally.js';

export const ADVANCE = 0;
export const TWEET = 1;

export interface ScoredFrame {
  readonly count: number;
  readonly kinds: Uint8Array;
  readonly partitions: Uint32Array;
  /** ADVANCE: the largest event time since the last record; TWEET: created_at. */
  readonly times: Float64Array;
  readonly scores: Float64Array;
  readonly weights: Float64Array;
  /** TWEET: index into the score thread's symbol-list table. */
  readonly symbolLists: Uint32Array;
  /** One per TWEET record, in order. */
  readonly authors: string[];
  /** One per TWEET record when the writer keeps ids (a process names its late tweets), else empty. */
  readonly ids: string[];
  /** Table entries added by this frame (their indices follow the previous frame's). */
  readonly newSymbolLists: string[][];
  /** What the messages this frame accounts for became. */
  readonly tally: IntakeTally;
  /** Their rejections, in order. */
  readonly rejections: Rejection[];
  /** Largest Kafka timestamp among them (progress). */
  readonly maxTimestamp: number;
}

export const transferablesOf = (f: ScoredFrame): ArrayBuffer[] =>
  [f.kinds, f.partitions, f.times, f.scores, f.weights, f.symbolLists].map((a) => a.buffer as ArrayBuffer);

/** Builds frames for up to `capacity` records; one writer per score thread. */
export class ScoredFrameWriter {
  /** `keepIds`: frames carry each stored tweet's id. */
  constructor(private readonly keepIds = false) {}
  private readonly tableIndex = new Map<string, number>();
  private newLists: string[][] = [];
  private kinds!: Uint8Array;
  private partitions!: Uint32Array;
  private times!: Float64Array;
  private scores!: Float64Array;
  private weights!: Float64Array;
  private symbolLists!: Uint32Array;
  private authors: string[] = [];
  private ids: string[] = [];
  private count = 0;
  private tally = emptyTally();
  private rejections: Rejection[] = [];
  private maxTimestamp = Number.NEGATIVE_INFINITY;

  /** Starts a frame with room for `capacity` records. */
  begin(capacity: number): void {
    this.kinds = new Uint8Array(capacity);
    this.partitions = new Uint32Array(capacity);
    this.times = new Float64Array(capacity);
    this.scores = new Float64Array(capacity);
    this.weights = new Float64Array(capacity);
    this.symbolLists = new Uint32Array(capacity);
    this.authors = [];
    this.ids = [];
    this.newLists = [];
    this.count = 0;
    this.tally = emptyTally();
    this.rejections = [];
    this.maxTimestamp = Number.NEGATIVE_INFINITY;
  }

  /** Counts one message: its outcome, event time, Kafka timestamp and (unless stored) drop. */
  message(
    outcome: 'stored' | 'dropped' | 'rejected',
    timestamp: number,
    eventTime = timestamp,
    drop?: { readonly stage: string; readonly reason: string },
  ): void {
    countInput(this.tally, outcome, eventTime, drop?.stage ?? '', drop?.reason ?? '');
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
  }

  reject(rejection: Rejection): void {
    this.rejections.push(rejection);
  }

  advance(partition: number, time: number): void {
    const i = this.count++;
    this.kinds[i] = ADVANCE;
    this.partitions[i] = partition;
    this.times[i] = time;
  }

  readonly tweet: ScoredRecordHandler['tweet'] = (
    partition,
    createdAt,
    score,
    weight,
    authorId,
    symbols,
    id = '',
  ) => {
    const i = this.count++;
    this.kinds[i] = TWEET;
    this.partitions[i] = partition;
    this.times[i] = createdAt;
    this.scores[i] = score;
    this.weights[i] = weight;
    this.symbolLists[i] = this.intern(symbols);
    this.authors.push(authorId);
    if (this.keepIds) this.ids.push(id);
  };

  end(): ScoredFrame {
    return {
      count: this.count,
      kinds: this.kinds,
      partitions: this.partitions,
      times: this.times,
      scores: this.scores,
      weights: this.weights,
      symbolLists: this.symbolLists,
      authors: this.authors,
      ids: this.ids,
      newSymbolLists: this.newLists,
      tally: this.tally,
      rejections: this.rejections,
      maxTimestamp: this.maxTimestamp,
    };
  }

  private intern(symbols: readonly string[]): number {
    const key = symbols.length === 1 ? symbols[0]! : symbols.join('\n');
    let index = this.tableIndex.get(key);
    if (index === undefined) {
      index = this.tableIndex.size;
      this.tableIndex.set(key, index);
      this.newLists.push([...symbols]);
    }
    return index;
  }
}

/** The reading side of one score thread's frames: keeps its symbol-list table across frames. */
export interface ScoredFrameReader {
  read(frame: ScoredFrame, each: ScoredRecordHandler): void;
}

/** A stored tweet as the window reads it; `id` only when the frames carry ids. */
export type TweetRecord = [
  partition: number,
  createdAt: number,
  score: number,
  weight: number,
  authorId: string,
  symbols: readonly string[],
  id?: string,
];

export interface ScoredRecordHandler {
  advance(partition: number, time: number): void;
  tweet(...record: TweetRecord): void;
}

export function createScoredFrameReader(): ScoredFrameReader {
  const table: (readonly string[])[] = [];
  return {
    read(frame, each) {
      for (const list of frame.newSymbolLists) table.push(Object.freeze(list));
      let author = 0;
      const ids = frame.ids;
      for (let i = 0; i < frame.count; i++) {
        if (frame.kinds[i] === ADVANCE) {
          each.advance(frame.partitions[i]!, frame.times[i]!);
          continue;
        }
        const symbols = table[frame.symbolLists[i]!];
        if (symbols === undefined) throw new RangeError(`scored frame names unknown symbol list ${i}`);
        each.tweet(
          frame.partitions[i]!,
          frame.times[i]!,
          frame.scores[i]!,
          frame.weights[i]!,
          frame.authors[author]!,
          symbols,
          ids[author] ?? '',
        );
        author++;
      }
    },
  };
}
