/**
 * What the consuming thread and a score thread (score-worker.ts) say to each other. Batches go out
 * packed into one transferable buffer; results come back as typed arrays plus one list of strings, so
 * neither side builds or clones an object per message. The big tables' rows travel pre-encoded (TSV).
 */
import type {
  DedupeOptions,
  DedupeSnapshot,
  Dropped,
  FilterOptions,
  NormalizeOptions,
  ScoringOptions,
  TweetWeightOptions,
} from '../../operators/index.js';

export interface ScoreWorkerData {
  readonly topic: string;
  readonly partitions: readonly number[];
  readonly scoring: ScoringOptions;
  readonly normalize?: NormalizeOptions;
  readonly dedupe?: DedupeOptions;
  readonly filter?: FilterOptions;
  readonly weight?: TweetWeightOptions;
  /** Dedupe memories to resume from, per partition (from the checkpoint). */
  readonly from: Readonly<Record<string, DedupeSnapshot>>;
}

/** One consumed batch of one partition: values back to back in `bytes`, `ends[i]` after value i (-1: null). */
export interface BatchMessage {
  readonly kind: 'batch';
  readonly partition: number;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly ends: Int32Array<ArrayBuffer>;
  readonly timestamps: Float64Array<ArrayBuffer>;
  readonly offsets: readonly string[];
}

/** Asks for the rows encoded since the last cut and, when `state`, the dedupe memories right here. */
export interface CutMessage {
  readonly kind: 'cut';
  readonly state: boolean;
}

export type ToScoreWorker = BatchMessage | CutMessage;

export const OUTCOME_CODES = ['stored', 'dropped', 'rejected'] as const;

/**
 * A batch classified, message by message: `outcomes[i]` indexes OUTCOME_CODES, `eventTimes[i]` is the
 * event time. `strings` holds, in message order: for a stored tweet its id, author id and symbols
 * (`symbolCounts` of them, one entry per stored tweet); for a dropped one its tweet id, stage and reason.
 * `scores` / `weights` have one entry per stored tweet. Rejections carry their drop whole (rare).
 */
export interface ClassifiedMessage {
  readonly kind: 'classified';
  readonly outcomes: Uint8Array<ArrayBuffer>;
  readonly eventTimes: Float64Array<ArrayBuffer>;
  readonly strings: readonly string[];
  readonly symbolCounts: Uint8Array<ArrayBuffer>;
  readonly scores: Float64Array<ArrayBuffer>;
  readonly weights: Float64Array<ArrayBuffer>;
  readonly rejections: readonly { readonly index: number; readonly drop: Dropped }[];
}

export interface CutReply {
  readonly kind: 'cut';
  /** TSV rows of `tweets` and `intake` since the last cut (INSERT column order: tsv-rows.ts). */
  readonly tweets: string;
  readonly intake: string;
  /** Rows TSV cannot carry exactly, as rows.ts objects for a JSON insert. */
  readonly tweetsJson: readonly Record<string, unknown>[];
  readonly intakeJson: readonly Record<string, unknown>[];
  readonly dedupe: Readonly<Record<string, DedupeSnapshot>> | null;
}

export interface ErrorReply {
  readonly kind: 'error';
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export type FromScoreWorker = ClassifiedMessage | CutReply | ErrorReply;

/** Packs a batch's values into one buffer (transferred, not copied, to the score thread). */
export function packBatch(
  partition: number,
  messages: readonly {
    readonly offset: string;
    readonly value: Buffer | null;
    readonly timestamp: number;
  }[],
): BatchMessage {
  let total = 0;
  for (const m of messages) total += m.value?.length ?? 0;
  // Its own ArrayBuffer (never the shared pool), so it can be transferred.
  const buffer = Buffer.allocUnsafeSlow(total);
  const ends = new Int32Array(messages.length);
  const timestamps = new Float64Array(messages.length);
  const offsets: string[] = new Array(messages.length);
  let at = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.value === null) {
      ends[i] = -1;
    } else {
      at += m.value.copy(buffer, at);
      ends[i] = at;
    }
    timestamps[i] = m.timestamp;
    offsets[i] = m.offset;
  }
  const bytes = new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, total);
  return { kind: 'batch', partition, bytes, ends, timestamps, offsets };
}
