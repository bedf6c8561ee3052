/**
 * What a score thread does (score-worker.ts): the score half (score-task.ts, the chain of chain.ts) for a
 * fixed set of tweets.raw partitions, raw frames in, scored frames out. A partition's results depend on
 * its own order only, so any split of the partitions over threads gives the same records.
 *
 * With `rows` (process), it also encodes the rows of the big tables (tweets, intake: formats.ts) and keeps
 * them until the next cut, which hands them over with, when asked, the dedupe memories at that point.
 */
import {
  createScoringModel,
  type DedupeOptions,
  type DedupeSnapshot,
  type FilterOptions,
  type NormalizeOptions,
  type ScoringOptions,
  type TweetWeightOptions,
} from '../../../operators/index.js';
import type { ScoreChain } from '../chain.js';
import { intakeRecordOf } from '../output/collector.js';
import { addIntakeRow, addTweetRows, type TableRows, TableRowsBuilder } from '../output/formats.js';
import { createScoreTask, type ScoreTask } from '../score-task.js';
import { type Frame, readFrame } from './raw-frames.js';
import { type ScoredFrame, ScoredFrameWriter } from './scored-frames.js';

/**
 * What a score thread builds its score half from: plain data a worker can receive (a scoring model holds
 * functions): engineOptionsFrom() gives it from the config as `scoringOptions`, `filter` and `weight`.
 */
export interface ScorerSettings {
  readonly scoring: ScoringOptions;
  readonly filter?: FilterOptions;
  readonly weight?: TweetWeightOptions;
  readonly normalize?: NormalizeOptions;
  readonly dedupe?: DedupeOptions;
}

export interface ThreadScorerOptions extends ScorerSettings {
  readonly partitions: readonly number[];
  /** Encode rows of `tweets` and `intake` (intake rows name this topic) and keep tweet ids. */
  readonly rows?: { readonly topic: string };
  /** Dedupe memories to resume from, per partition (a checkpoint's). */
  readonly from?: Readonly<Record<string, DedupeSnapshot>>;
}

/** Rows of the big tables encoded since the last cut. */
export interface ThreadRows {
  readonly tweets: TableRows;
  readonly intake: TableRows;
}

export interface ThreadScorer {
  /** Every message of the frame, and each partition's held advance (no watermark waits for the next frame). */
  score(frame: Frame): ScoredFrame;
  /** The rows encoded since the last cut, and the dedupe memories now when `state`. */
  cut(state: boolean): {
    readonly rows: ThreadRows;
    readonly dedupe: Readonly<Record<string, DedupeSnapshot>> | null;
  };
}

interface Lane {
  readonly task: ScoreTask;
  /** Largest event time of this frame's non-stored messages not yet handed on; null when none. */
  held: number | null;
}

export function createThreadScorer(options: ThreadScorerOptions, chain: ScoreChain): ThreadScorer {
  const settings = {
    model: createScoringModel(options.scoring),
    ...(options.filter ? { filter: options.filter } : {}),
    ...(options.weight ? { weight: options.weight } : {}),
    ...(options.normalize ? { normalize: options.normalize } : {}),
    ...(options.dedupe ? { dedupe: options.dedupe } : {}),
  };
  const lanes = new Map<number, Lane>(
    options.partitions.map((p) => {
      const dedupe = options.from?.[String(p)];
      const task = createScoreTask(p, chain, settings, dedupe ? { dedupe } : undefined);
      return [p, { task, held: null }] as const;
    }),
  );
  const topic = options.rows?.topic;
  const writer = new ScoredFrameWriter(topic !== undefined);
  const rows = { tweets: new TableRowsBuilder(), intake: new TableRowsBuilder() };
  const flushHeld = (): void => {
    for (const [partition, lane] of lanes) {
      if (lane.held === null) continue;
      writer.advance(partition, lane.held);
      lane.held = null;
    }
  };
  return {
    score(frame) {
      // At most one record per message, plus one held advance per partition at the end.
      writer.begin(frame.count + lanes.size);
      readFrame(frame, (partition, offset, value, timestamp) => {
        const lane = lanes.get(partition);
        if (lane === undefined) throw new RangeError(`partition ${partition} is not scored here`);
        const r = lane.task.push({ partition, offset, value, timestamp });
        if (topic !== undefined) addIntakeRow(rows.intake, topic, intakeRecordOf(r));
        if (r.item.kind === 'dropped') {
          writer.message(r.outcome, timestamp, r.eventTime, r.item);
          if (r.outcome === 'rejected') {
            // Its own copy: the frame's buffer goes back to be filled again.
            writer.reject({
              input: { ...r.input, value: value === null ? null : value.slice() },
              drop: r.item,
            });
          }
          if (lane.held === null || r.eventTime > lane.held) lane.held = r.eventTime;
          return;
        }
        writer.message('stored', timestamp, r.eventTime);
        if (lane.held !== null) {
          writer.advance(partition, lane.held);
          lane.held = null;
        }
        const t = r.item;
        writer.tweet(partition, t.createdAt, t.score, t.weight, t.authorId, t.symbols, t.id);
        if (topic !== undefined) addTweetRows(rows.tweets, t);
      });
      flushHeld();
      return writer.end();
    },
    cut(state) {
      const taken = { tweets: rows.tweets.take(), intake: rows.intake.take() };
      const dedupe = state
        ? Object.fromEntries(
            [...lanes].map(([p, l]) => [String(p), packed(l.task.dedupeSnapshot())] as const),
          )
        : null;
      return { rows: taken, dedupe };
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
