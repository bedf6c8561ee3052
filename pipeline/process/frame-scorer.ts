/**
 * What a score thread does (score-worker.ts): normalize -> dedupe -> filter -> score (classifyInput, the
 * engine's own step) for a fixed set of tweets.raw partitions, raw frames in, scored frames out. Dedupe
 * state is per partition, as in the engine, so a partition's results depend on its own order only and
 * any split of the partitions over score threads gives the same records.
 *
 * With `rows` (process), it also encodes the rows of the big tables (tweets, intake) and keeps them
 * until the next cut, which hands them over with, when asked, the dedupe memories at that point.
 */
import {
  createDedupeState,
  createScoringModel,
  createTweetFilter,
  type DedupeOptions,
  type DedupeSnapshot,
  type DedupeState,
  type FilterOptions,
  type NormalizeOptions,
  type ScoringOptions,
  type TweetWeightOptions,
} from '../../operators/index.js';
import { type Frame, readFrame } from './raw-frames.js';
import { intakeRow, tweetRows } from './rows.js';
import { classifyInput, intakeRecord } from './score-stage.js';
import { type ScoredFrame, ScoredFrameWriter } from './scored-frames.js';
import { intakeRowTsv, tweetRowsTsv } from './tsv-rows.js';

/**
 * What a score thread builds the engine's scoring from: plain data a worker can receive (the scoring
 * model itself holds a tokenizer object). scorerSettingsFrom() derives it from the config as
 * engineOptionsFrom() derives the engine's; it lives apart so a score thread does not load the config
 * module.
 */
export interface ScorerSettings {
  readonly scoring: ScoringOptions;
  readonly filter?: FilterOptions;
  readonly weight?: TweetWeightOptions;
  readonly normalize?: NormalizeOptions;
  readonly dedupe?: DedupeOptions;
}

export interface FrameScorerOptions extends ScorerSettings {
  readonly partitions: readonly number[];
  /** Encode rows of `tweets` and `intake` (intake rows name this topic) and keep tweet ids. */
  readonly rows?: { readonly topic: string };
  /** Dedupe memories to resume from, per partition (a checkpoint's). */
  readonly from?: Readonly<Record<string, DedupeSnapshot>>;
}

/** Rows of the big tables encoded since the last cut (see tsv-rows.ts). */
export interface ThreadRows {
  /** TSV rows of `tweets` and `intake` (INSERT column order: tsv-rows.ts). */
  readonly tweets: string;
  readonly intake: string;
  /** Rows TSV cannot carry exactly, as rows.ts objects for a JSON insert. */
  readonly tweetsJson: readonly Record<string, unknown>[];
  readonly intakeJson: readonly Record<string, unknown>[];
}

export interface FrameScorer {
  /** Every message of the frame, and each partition's held advance (no watermark waits for the next frame). */
  score(frame: Frame): ScoredFrame;
  /** The rows encoded since the last cut, and the dedupe memories now when `state`. */
  cut(state: boolean): {
    readonly rows: ThreadRows;
    readonly dedupe: Readonly<Record<string, DedupeSnapshot>> | null;
  };
}

interface PartitionState {
  readonly dedupe: DedupeState;
  /** Largest event time of this frame's non-stored messages not yet handed on; null when none. */
  held: number | null;
}

export function createFrameScorer(options: FrameScorerOptions): FrameScorer {
  const filter = createTweetFilter(options.filter);
  const classify = {
    scoring: createScoringModel(options.scoring),
    ...(options.weight ? { weight: options.weight } : {}),
    ...(options.normalize ? { normalize: options.normalize } : {}),
  };
  const states = new Map<number, PartitionState>(
    options.partitions.map(
      (p) =>
        [p, { dedupe: createDedupeState(options.dedupe, options.from?.[String(p)]), held: null }] as const,
    ),
  );
  const topic = options.rows?.topic;
  const writer = new ScoredFrameWriter(topic !== undefined);
  let tweets: string[] = [];
  let intake: string[] = [];
  let tweetsJson: Record<string, unknown>[] = [];
  let intakeJson: Record<string, unknown>[] = [];
  const flushHeld = (): void => {
    for (const [partition, state] of states) {
      if (state.held === null) continue;
      writer.advance(partition, state.held);
      state.held = null;
    }
  };
  return {
    score(frame) {
      // At most one record per message, plus one held advance per partition at the end.
      writer.begin(frame.count + states.size);
      readFrame(frame, (partition, offset, value, timestamp) => {
        const state = states.get(partition);
        if (state === undefined) throw new RangeError(`partition ${partition} is not scored here`);
        const input = { partition, offset, value, timestamp };
        const c = classifyInput(input, state.dedupe, filter, classify);
        if (topic !== undefined) {
          const record = intakeRecord(input, c);
          const line = intakeRowTsv(topic, record);
          if (line === null) intakeJson.push(intakeRow(topic, record));
          else intake.push(line);
        }
        if (c.outcome !== 'stored') {
          writer.message(c.outcome, timestamp, c.eventTime, c.drop);
          if (c.outcome === 'rejected') {
            // Its own copy: the frame's buffer goes back to be filled again.
            writer.reject({
              input: { ...input, value: value === null ? null : value.slice() },
              drop: c.drop,
            });
          }
          if (state.held === null || c.eventTime > state.held) state.held = c.eventTime;
          return;
        }
        writer.message('stored', timestamp, c.eventTime);
        if (state.held !== null) {
          writer.advance(partition, state.held);
          state.held = null;
        }
        const t = c.scored;
        writer.tweet(partition, t.createdAt, t.score, t.weight, t.authorId, t.symbols, t.id);
        if (topic !== undefined) {
          const rows = tweetRowsTsv(t);
          if (rows === null) tweetsJson.push(...tweetRows(t));
          else tweets.push(rows);
        }
      });
      flushHeld();
      return writer.end();
    },
    cut(state) {
      const rows = { tweets: tweets.join(''), intake: intake.join(''), tweetsJson, intakeJson };
      tweets = [];
      intake = [];
      tweetsJson = [];
      intakeJson = [];
      const dedupe = state
        ? Object.fromEntries([...states].map(([p, s]) => [String(p), packed(s.dedupe.snapshot())] as const))
        : null;
      return { rows, dedupe };
    },
  };
}

/**
 * A dedupe memory with its number columns in typed arrays, which the cut reply transfers to the
 * consuming thread instead of copying (dedupeBuffers). A structured clone of the memories after 900k
 * tweets was 43 MB serialized and ~100 MB in the receiving heap, at every checkpoint; the checkpoint
 * writes typed and plain number arrays alike (jsonPieces), so the stored state does not depend on it.
 */
function packed(snapshot: DedupeSnapshot): DedupeSnapshot {
  const { ids, texts } = snapshot;
  return {
    ...snapshot,
    ids: { ...ids, keys: Float64Array.from(ids.keys), times: Float64Array.from(ids.times) },
    texts: {
      ...texts,
      his: Uint32Array.from(texts.his),
      los: Uint32Array.from(texts.los),
      times: Float64Array.from(texts.times),
    },
  };
}

/** The buffers of a cut's packed dedupe memories, to transfer with the reply. */
export function dedupeBuffers(dedupe: Readonly<Record<string, DedupeSnapshot>> | null): ArrayBuffer[] {
  if (dedupe === null) return [];
  const out: ArrayBuffer[] = [];
  for (const { ids, texts } of Object.values(dedupe)) {
    for (const column of [ids.keys, ids.times, texts.his, texts.los, texts.times]) {
      if (ArrayBuffer.isView(column)) out.push(column.buffer as ArrayBuffer);
    }
  }
  return out;
}
