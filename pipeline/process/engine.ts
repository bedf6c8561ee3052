/**
 * The processing chain for Kafka messages: normalize -> dedupe -> filter -> score -> window -> signal,
 * built from the same plain decision cores the RxJS operators wrap, so `process` and `backtest`
 * decide identically. No I/O and no wall clock: the runner feeds messages and writes what comes out.
 *
 * Determinism across partitions: dedupe state is kept per source partition (tweets.raw is keyed by
 * tweet id, so repeats share a partition) and the window keeps one watermark per source partition
 * and closes buckets at their minimum; a tweet is late when its own partition's watermark has passed its
 * bucket's close (own-lateness.ts), not when the minimum has. What comes out therefore depends only on
 * each partition's message order, never on how the consumer interleaved partitions — so a restart from a
 * checkpoint, a second run, a backtest over the same offsets and the split stages (`--stage score` +
 * `--stage window`) produce the same rows.
 */
import {
  type Bucket,
  createDedupeState,
  createHourlyWindows,
  createTweetFilter,
  DEFAULT_WINDOW_OPTIONS,
  type Decision,
  type DedupeOptions,
  type DedupeSnapshot,
  type Dropped,
  type FilterOptions,
  type HourlyWindows,
  type NormalizeOptions,
  type Position,
  type ScoredTweet,
  type ScoringModel,
  type Strategy,
  type TweetWeightOptions,
  type WindowOptions,
  type WindowSnapshot,
} from '../../operators/index.js';
import { createDecisionBook } from './decision-book.js';
import { createOwnLateness } from './own-lateness.js';
import { classifyInput, intakeRecord } from './score-stage.js';
import type { ScoredRecordHandler } from './scored-frames.js';
import { windowTweet } from './window-tweet.js';

export interface EngineInput {
  readonly partition: number;
  readonly offset: string;
  readonly value: Uint8Array | string | null;
  /** Kafka message timestamp (created_at for tweets.raw), epoch ms. */
  readonly timestamp: number;
}

export const OUTCOMES = ['stored', 'dropped', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What became of one input message: exactly one per input, so consumed = stored + dropped + rejected. */
export interface IntakeRecord {
  readonly partition: number;
  readonly offset: string;
  /** Event time (created_at) when known, else the Kafka timestamp. */
  readonly eventTime: number;
  readonly tweetId: string;
  readonly outcome: Outcome;
  readonly stage: string;
  readonly reason: string;
}

export interface Rejection {
  readonly input: EngineInput;
  readonly drop: Dropped;
}

export interface EngineOutput {
  readonly intake: IntakeRecord[];
  readonly scored: ScoredTweet[];
  readonly rejected: Rejection[];
  readonly buckets: Bucket[];
  readonly decisions: Decision[];
  /** Stored tweets that arrived after their bucket closed (counted, not in any bucket). */
  readonly late: Dropped[];
}

export interface EngineSnapshot {
  readonly version: 1;
  readonly dedupe: Readonly<Record<string, DedupeSnapshot>>;
  readonly window: WindowSnapshot;
  readonly history: readonly Bucket[];
  readonly positions: readonly Position[];
}

export interface EngineOptions {
  /** Every partition of the source topic: the window waits for all of them. */
  readonly partitions: readonly number[];
  readonly scoring: ScoringModel;
  readonly strategy: Strategy;
  /** Name decisions carry (and their ids derive from); defaults to the strategy's name. */
  readonly strategyName?: string;
  readonly normalize?: NormalizeOptions;
  readonly dedupe?: DedupeOptions;
  readonly filter?: FilterOptions;
  readonly window?: WindowOptions;
  /** How author reach and engagement weigh a tweet (scoreTweet's weight options). */
  readonly weight?: TweetWeightOptions;
}

export interface Engine {
  push(input: EngineInput): void;
  /** Moves every partition's watermark to at least `time` (idle live streams). */
  advanceWatermark(time: number): void;
  /** End of input (replays, --exit-when-idle): closes every open bucket. */
  flushWindows(): void;
  /** Takes what accumulated since the last drain. */
  drain(): EngineOutput;
  /** Everything needed to resume exactly here; JSON-serialisable. */
  snapshot(): EngineSnapshot;
  readonly pendingInputs: number;
  /** True when closed buckets or decisions wait for drain() (e.g. after advanceWatermark). */
  readonly pendingOutput: boolean;
  /** Latest event time pushed since this engine was created, or null before any input. */
  readonly latestEventTime: number | null;
}

function emptyOutput(): EngineOutput {
  return { intake: [], scored: [], rejected: [], buckets: [], decisions: [], late: [] };
}

/**
 * The half of the engine after classifyInput: intake ledger, window, lateness and decisions. The engine
 * feeds it from its own classifyInput (accept); score threads (score-threads.ts) feed it the records
 * of their scored frames (advance, tweet), per partition in the same order, so both paths decide
 * identically. Records bypass the intake ledger and `scored`: the threads count and encode those.
 */
export interface EngineWindow extends ScoredRecordHandler {
  /**
   * Takes one classified input: its intake record, its scored tweet when stored (only the fields the
   * window reads need to be real: id, createdAt, authorId, symbols, score, weight) and its rejection.
   */
  accept(intake: IntakeRecord, stored: ScoredTweet | null, rejected: Rejection | null): void;
  advanceWatermark(time: number): void;
  flushWindows(): void;
  drain(): EngineOutput;
  /** The snapshot without the dedupe memories (they live with the classifier). */
  snapshot(): Omit<EngineSnapshot, 'dedupe'>;
  readonly pendingInputs: number;
  readonly pendingOutput: boolean;
  readonly latestEventTime: number | null;
}

export function createEngineWindow(
  options: Pick<EngineOptions, 'partitions' | 'strategy' | 'strategyName' | 'window'>,
  from?: EngineSnapshot,
): EngineWindow {
  const windowOptions = { ...DEFAULT_WINDOW_OPTIONS, ...options.window };
  const windows: HourlyWindows = createHourlyWindows(
    { ...windowOptions, sources: options.partitions },
    from?.window,
  );
  const lateness = createOwnLateness(windows, windowOptions.allowedLatenessMs);
  const book = createDecisionBook({
    strategy: options.strategy,
    ...(options.strategyName === undefined ? {} : { strategyName: options.strategyName }),
    initialHistory: from?.history ?? [],
    initialPositions: from?.positions ?? [],
  });
  let out = emptyOutput();
  let pending = 0;
  let latest: number | null = null;

  const onBucketsAndLate = (items: readonly (Bucket | Dropped)[]): void => book.record(items, out);

  const advanceSource = (partition: number, eventTime: number): void => {
    const time = eventTime - windowOptions.maxOutOfOrdernessMs;
    lateness.advance(partition, time);
    onBucketsAndLate(windows.step({ kind: 'watermark', time }, partition));
  };
  const windowStored = (partition: number, tweet: ScoredTweet): void => {
    const late = lateness.check(tweet, partition);
    if (late !== null) {
      out.late.push(late);
      return;
    }
    onBucketsAndLate(windows.step(tweet, partition));
    lateness.advance(partition, tweet.createdAt - windowOptions.maxOutOfOrdernessMs);
  };

  return {
    advance: advanceSource,
    tweet(partition, createdAt, score, weight, authorId, symbols, id) {
      windowStored(partition, windowTweet(id ?? '', createdAt, authorId, symbols, score, weight));
    },
    accept(intake, stored, rejected) {
      pending++;
      const partition = intake.partition;
      if (latest === null || intake.eventTime > latest) latest = intake.eventTime;
      out.intake.push(intake);
      if (rejected !== null) out.rejected.push(rejected);
      if (stored === null) {
        advanceSource(partition, intake.eventTime);
        return;
      }
      out.scored.push(stored);
      windowStored(partition, stored);
    },
    advanceWatermark(time) {
      lateness.advance(null, time);
      onBucketsAndLate(windows.step({ kind: 'watermark', time }));
    },
    flushWindows() {
      onBucketsAndLate(windows.flush());
    },
    drain() {
      const taken = out;
      out = emptyOutput();
      pending = 0;
      return taken;
    },
    snapshot() {
      return { version: 1, window: windows.snapshot(), history: book.history(), positions: book.positions() };
    },
    get pendingInputs() {
      return pending;
    },
    get pendingOutput() {
      return out.buckets.length > 0 || out.decisions.length > 0 || out.late.length > 0;
    },
    get latestEventTime() {
      return latest;
    },
  };
}

/** The whole snapshot, keys in the order checkpoints always had. */
export function withDedupe(
  window: Omit<EngineSnapshot, 'dedupe'>,
  dedupe: EngineSnapshot['dedupe'],
): EngineSnapshot {
  return {
    version: 1,
    dedupe,
    window: window.window,
    history: window.history,
    positions: window.positions,
  };
}

export function createEngine(options: EngineOptions, from?: EngineSnapshot): Engine {
  const filter = createTweetFilter(options.filter);
  const dedupes = new Map(
    options.partitions.map((p) => [p, createDedupeState(options.dedupe, from?.dedupe[String(p)])] as const),
  );
  const window = createEngineWindow(options, from);
  return {
    push(input) {
      const dedupe = dedupes.get(input.partition);
      if (dedupe === undefined) {
        throw new RangeError(`partition ${input.partition} is not one of ${options.partitions.join(',')}`);
      }
      const c = classifyInput(input, dedupe, filter, options);
      window.accept(
        intakeRecord(input, c),
        c.outcome === 'stored' ? c.scored : null,
        c.outcome === 'rejected' ? { input, drop: c.drop } : null,
      );
    },
    advanceWatermark: (time) => window.advanceWatermark(time),
    flushWindows: () => window.flushWindows(),
    drain: () => window.drain(),
    snapshot() {
      const dedupe = Object.fromEntries([...dedupes].map(([p, d]) => [String(p), d.snapshot()]));
      return withDedupe(window.snapshot(), dedupe);
    },
    get pendingInputs() {
      return window.pendingInputs;
    },
    get pendingOutput() {
      return window.pendingOutput;
    },
    get latestEventTime() {
      return window.latestEventTime;
    },
  };
}
