/**
 * The score half of a threaded replay: normalize -> dedupe -> filter -> score (classifyInput, the
 * engine's own step) for a fixed set of tweets.raw partitions, raw frames in, scored frames out. Dedupe
 * state is per partition, as in the engine, so a partition's results depend on its own order only and
 * any split of the partitions over score threads gives the same records.
 */
import {
  createDedupeState,
  createScoringModel,
  createTweetFilter,
  type DedupeOptions,
  type DedupeState,
  type FilterOptions,
  type NormalizeOptions,
  type ScoringOptions,
  type TweetWeightOptions,
} from '../../operators/index.js';
import { classifyInput } from '../process/score-stage.js';
import { type Frame, readFrame } from './replay-frames.js';
import { type ScoredFrame, ScoredFrameWriter } from './scored-frames.js';

/**
 * What a score thread builds the engine's scoring from: plain data a worker can receive (the scoring
 * model itself holds a tokenizer object). scorerSettingsFrom() derives it from the config as
 * engineOptionsFrom() derives the engine's; it lives apart so a score thread does not load the config
 * module.
 */
export interface ScorerSettings {
  readonly scoring: ScoringOptions;
  readonly filter: FilterOptions;
  readonly weight: TweetWeightOptions;
  readonly normalize?: NormalizeOptions;
  readonly dedupe?: DedupeOptions;
}

export interface FrameScorerOptions extends ScorerSettings {
  readonly partitions: readonly number[];
}

export interface FrameScorer {
  /** Every message of the frame, and each partition's held advance (no watermark waits for the next frame). */
  score(frame: Frame): ScoredFrame;
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
    weight: options.weight,
    ...(options.normalize ? { normalize: options.normalize } : {}),
  };
  const states = new Map<number, PartitionState>(
    options.partitions.map((p) => [p, { dedupe: createDedupeState(options.dedupe), held: null }] as const),
  );
  const writer = new ScoredFrameWriter();
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
        const c = classifyInput({ partition, offset, value, timestamp }, state.dedupe, filter, classify);
        writer.message(c.outcome, timestamp);
        if (c.outcome !== 'stored') {
          if (state.held === null || c.eventTime > state.held) state.held = c.eventTime;
          return;
        }
        if (state.held !== null) {
          writer.advance(partition, state.held);
          state.held = null;
        }
        const t = c.scored;
        writer.tweet(partition, t.createdAt, t.score, t.weight, t.authorId, t.symbols);
      });
      flushHeld();
      return writer.end();
    },
  };
}
