/**
 * What a score thread hands the window thread: per tweets.raw message either nothing, a watermark
 * advance of its partition, or the few fields of a stored tweet the window reads (event time, score,
 * weight, author, symbols), in columns of transferable typed arrays plus one array of author ids.
 * Symbol lists are interned per score thread: each frame carries only the lists that are new.
 *
 * Consecutive non-stored messages of one partition collapse into one advance to their largest event
 * time: advancing one source twice closes exactly the buckets (in the same order) that one advance to
 * the larger time closes, so the window sees what the single engine sees.
 */

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
  /** Table entries added by this frame (their indices follow the previous frame's). */
  readonly newSymbolLists: string[][];
  /** Messages this frame accounts for, by outcome. */
  readonly read: number;
  readonly stored: number;
  readonly dropped: number;
  readonly rejected: number;
  /** Largest Kafka timestamp among them (progress). */
  readonly maxTimestamp: number;
}

export const transferablesOf = (f: ScoredFrame): ArrayBuffer[] =>
  [f.kinds, f.partitions, f.times, f.scores, f.weights, f.symbolLists].map((a) => a.buffer as ArrayBuffer);

/** Builds frames for up to `capacity` records; one writer per score thread. */
export class ScoredFrameWriter {
  private readonly tableIndex = new Map<string, number>();
  private newLists: string[][] = [];
  private kinds!: Uint8Array;
  private partitions!: Uint32Array;
  private times!: Float64Array;
  private scores!: Float64Array;
  private weights!: Float64Array;
  private symbolLists!: Uint32Array;
  private authors: string[] = [];
  private count = 0;
  private counts = { read: 0, stored: 0, dropped: 0, rejected: 0, maxTimestamp: Number.NEGATIVE_INFINITY };

  /** Starts a frame with room for `capacity` records. */
  begin(capacity: number): void {
    this.kinds = new Uint8Array(capacity);
    this.partitions = new Uint32Array(capacity);
    this.times = new Float64Array(capacity);
    this.scores = new Float64Array(capacity);
    this.weights = new Float64Array(capacity);
    this.symbolLists = new Uint32Array(capacity);
    this.authors = [];
    this.newLists = [];
    this.count = 0;
    this.counts = { read: 0, stored: 0, dropped: 0, rejected: 0, maxTimestamp: Number.NEGATIVE_INFINITY };
  }

  message(outcome: 'stored' | 'dropped' | 'rejected', timestamp: number): void {
    this.counts.read++;
    this.counts[outcome]++;
    if (timestamp > this.counts.maxTimestamp) this.counts.maxTimestamp = timestamp;
  }

  advance(partition: number, time: number): void {
    const i = this.count++;
    this.kinds[i] = ADVANCE;
    this.partitions[i] = partition;
    this.times[i] = time;
  }

  tweet(
    partition: number,
    createdAt: number,
    score: number,
    weight: number,
    authorId: string,
    symbols: readonly string[],
  ): void {
    const i = this.count++;
    this.kinds[i] = TWEET;
    this.partitions[i] = partition;
    this.times[i] = createdAt;
    this.scores[i] = score;
    this.weights[i] = weight;
    this.symbolLists[i] = this.intern(symbols);
    this.authors.push(authorId);
  }

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
      newSymbolLists: this.newLists,
      ...this.counts,
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

export interface ScoredRecordHandler {
  advance(partition: number, time: number): void;
  tweet(
    partition: number,
    createdAt: number,
    score: number,
    weight: number,
    authorId: string,
    symbols: readonly string[],
  ): void;
}

export function createScoredFrameReader(): ScoredFrameReader {
  const table: (readonly string[])[] = [];
  return {
    read(frame, each) {
      for (const list of frame.newSymbolLists) table.push(Object.freeze(list));
      let author = 0;
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
          frame.authors[author++]!,
          symbols,
        );
      }
    },
  };
}
