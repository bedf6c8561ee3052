/**
 * The processing chain for Kafka messages: normalize -> dedupe -> filter -> score -> window -> signal,
 * built from the same plain decision cores the RxJS operators wrap, so `process` and `backtest`
 * decide identically. No I/O and no wall clock: the runner feeds messages and writes what comes out.
 *
 * Determinism across partitions: dedupe state is kept per source partition (tweets.raw is keyed by
 * tweet id, so repeats share a partition) and the window keeps one watermark per source partition
 * and closes buckets at their minimum. What comes out therefore depends only on each partition's
 * message order, never on how the consumer interleaved partitions — so a restart from a checkpoint,
 * a second run or a backtest over the same offsets produce the same rows.
 */
import {
  type Bucket,
  createDecider,
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
  nextPosition,
  normalizeEnvelope,
  type Position,
  type ScoredTweet,
  type ScoringModel,
  type Strategy,
  scoreTweet,
  type WindowOptions,
  type WindowSnapshot,
} from '../../operators/index.js';

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
}

function emptyOutput(): EngineOutput {
  return { intake: [], scored: [], rejected: [], buckets: [], decisions: [], late: [] };
}

export function createEngine(options: EngineOptions, from?: EngineSnapshot): Engine {
  const windowOptions = { ...DEFAULT_WINDOW_OPTIONS, ...options.window };
  const keep = Math.max(1, options.strategy.historySize);
  const filter = createTweetFilter(options.filter);
  const dedupes = new Map(
    options.partitions.map((p) => [p, createDedupeState(options.dedupe, from?.dedupe[String(p)])] as const),
  );
  const windows: HourlyWindows = createHourlyWindows(
    { ...windowOptions, sources: options.partitions },
    from?.window,
  );
  const deciderOptions = {
    strategy: options.strategy,
    name: options.strategyName ?? options.strategy.name,
    initialHistory: from?.history ?? [],
    initialPositions: from?.positions ?? [],
  };
  const decide = createDecider(deciderOptions);
  // Kept beside the decider so a snapshot can hand the next run exactly the history and positions it had.
  const history = new Map<string, Bucket[]>();
  for (const b of deciderOptions.initialHistory)
    (history.get(b.symbol) ?? history.set(b.symbol, []).get(b.symbol)!).push(b);
  const positions = new Map(deciderOptions.initialPositions.map((p) => [p.symbol, p] as const));
  let out = emptyOutput();
  let pending = 0;

  const onBucketsAndLate = (items: readonly (Bucket | Dropped)[]): void => {
    for (const item of items) {
      if (item.kind === 'dropped') {
        out.late.push(item);
        continue;
      }
      out.buckets.push(item);
      const decision = decide(item);
      out.decisions.push(decision);
      const list = history.get(item.symbol) ?? history.set(item.symbol, []).get(item.symbol)!;
      list.push(item);
      if (list.length > keep) list.splice(0, list.length - keep);
      const position = positions.get(item.symbol) ?? { symbol: item.symbol, exposure: 0, openedAt: null };
      positions.set(item.symbol, nextPosition(position, decision.action, decision.size, item.start));
    }
  };

  const record = (
    input: EngineInput,
    eventTime: number,
    tweetId: string,
    outcome: Outcome,
    drop?: Dropped,
  ): void => {
    out.intake.push({
      partition: input.partition,
      offset: input.offset,
      eventTime,
      tweetId,
      outcome,
      stage: drop?.stage ?? '',
      reason: drop?.reason ?? '',
    });
  };

  const advanceSource = (partition: number, eventTime: number): void => {
    onBucketsAndLate(
      windows.step({ kind: 'watermark', time: eventTime - windowOptions.maxOutOfOrdernessMs }, partition),
    );
  };

  return {
    push(input) {
      pending++;
      const dedupe = dedupes.get(input.partition);
      if (dedupe === undefined) {
        throw new RangeError(`partition ${input.partition} is not one of ${options.partitions.join(',')}`);
      }
      const tweet =
        input.value === null
          ? ({
              kind: 'dropped',
              stage: 'normalize',
              reason: 'missing_data',
              detail: 'message has no value (tombstone)',
              tweetId: null,
              eventTime: null,
            } satisfies Dropped)
          : normalizeEnvelope(input.value, options.normalize);
      if (tweet.kind === 'dropped') {
        out.rejected.push({ input, drop: tweet });
        record(input, input.timestamp, '', 'rejected', tweet);
        advanceSource(input.partition, input.timestamp);
        return;
      }
      const unique = dedupe.step(tweet);
      const kept = unique.kind === 'dropped' ? unique : filter(unique);
      if (kept.kind === 'dropped') {
        record(input, tweet.createdAt, tweet.id, 'dropped', kept);
        advanceSource(input.partition, tweet.createdAt);
        return;
      }
      const scored = scoreTweet(kept, options.scoring);
      out.scored.push(scored);
      record(input, tweet.createdAt, tweet.id, 'stored');
      onBucketsAndLate(windows.step(scored, input.partition));
    },
    advanceWatermark(time) {
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
      return {
        version: 1,
        dedupe: Object.fromEntries([...dedupes].map(([p, d]) => [String(p), d.snapshot()])),
        window: windows.snapshot(),
        history: [...history.values()].flat(),
        positions: [...positions.values()],
      };
    },
    get pendingInputs() {
      return pending;
    },
  };
}
