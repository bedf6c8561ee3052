/**
 * The window half of a threaded replay, on the thread that collects the buckets: what the engine does
 * after classifyInput (pipeline/process/engine.ts), step for step, fed by scored frames. A non-stored
 * message advances its partition's watermark; a stored tweet is checked against its own partition's
 * lateness, windowed, and then advances it. Per partition the records arrive in offset order; how the
 * score threads interleave partitions does not change the buckets (see engine.ts on determinism).
 */
import {
  type Bucket,
  createHourlyWindows,
  DEFAULT_WINDOW_OPTIONS,
  type Decision,
  type Dropped,
  type Strategy,
  type WindowOptions,
} from '../../operators/index.js';
import { createDecisionBook } from '../process/decision-book.js';
import { createOwnLateness } from '../process/own-lateness.js';
import { windowTweet } from '../process/window-tweet.js';
import type { ScoredRecordHandler } from './scored-frames.js';

export interface ReplayWindowOptions {
  readonly partitions: readonly number[];
  readonly strategy: Strategy;
  readonly strategyName?: string;
  readonly window?: WindowOptions;
}

export interface ReplayWindow extends ScoredRecordHandler {
  /** End of input: closes every open bucket. */
  flushWindows(): void;
  /** Buckets closed and decisions taken since the last drain. */
  drain(): { buckets: Bucket[]; decisions: Decision[]; late: number };
}

export function createReplayWindow(options: ReplayWindowOptions): ReplayWindow {
  const windowOptions = { ...DEFAULT_WINDOW_OPTIONS, ...options.window };
  const bound = windowOptions.maxOutOfOrdernessMs;
  const windows = createHourlyWindows({ ...windowOptions, sources: options.partitions });
  const lateness = createOwnLateness(windows, windowOptions.allowedLatenessMs);
  const book = createDecisionBook({
    strategy: options.strategy,
    ...(options.strategyName === undefined ? {} : { strategyName: options.strategyName }),
  });
  let out = { buckets: [] as Bucket[], decisions: [] as Decision[], late: [] as Dropped[] };
  const record = (items: readonly (Bucket | Dropped)[]): void => {
    if (items.length > 0) book.record(items, out);
  };
  return {
    advance(partition, eventTime) {
      const time = eventTime - bound;
      lateness.advance(partition, time);
      record(windows.step({ kind: 'watermark', time }, partition));
    },
    tweet(partition, createdAt, score, weight, authorId, symbols) {
      // The fields the window and the lateness check read; the rest of the tweet stayed in the score
      // thread (its id only names a late drop, which a replay counts but does not report).
      const tweet = windowTweet('', createdAt, authorId, symbols, score, weight);
      const late = lateness.check(tweet, partition);
      if (late !== null) {
        out.late.push(late);
        return;
      }
      record(windows.step(tweet, partition));
      lateness.advance(partition, createdAt - bound);
    },
    flushWindows() {
      record(windows.flush());
    },
    drain() {
      const taken = out;
      out = { buckets: [], decisions: [], late: [] };
      return { buckets: taken.buckets, decisions: taken.decisions, late: taken.late.length };
    },
  };
}
