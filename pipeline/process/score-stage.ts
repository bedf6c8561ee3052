/**
 * The stateless-by-partition half of the chain: normalize -> dedupe -> filter -> score for one tweets.raw
 * partition, as the single engine does it, plus the records for the repartition topic (`--stage score`).
 * State is one partition's dedupe memory and watermark, so a rebalance moves a partition with its state.
 */
import {
  createDedupeState,
  type DedupeOptions,
  type DedupeSnapshot,
  type DedupeState,
  type Dropped,
  type FilteredTweet,
  type NormalizeOptions,
  normalizeEnvelope,
  type ScoredTweet,
  type ScoringModel,
  scoreTweet,
  type Tweet,
  type TweetWeightOptions,
} from '../../operators/index.js';
import type { OutgoingMessage } from '../../sinks/kafka/producer.js';
import type { EngineInput, IntakeRecord, Outcome, Rejection } from './engine.js';
import { type SourceMark, scoredMessages } from './scored-records.js';

/** What one input became before the window: rejected, dropped (with its tweet) or scored. */
export type Classified =
  | { readonly outcome: 'rejected'; readonly drop: Dropped; readonly eventTime: number }
  | { readonly outcome: 'dropped'; readonly drop: Dropped; readonly tweet: Tweet; readonly eventTime: number }
  | { readonly outcome: 'stored'; readonly scored: ScoredTweet; readonly eventTime: number };

export interface ClassifyOptions {
  readonly scoring: ScoringModel;
  readonly normalize?: NormalizeOptions;
  readonly weight?: TweetWeightOptions;
}

/** normalize -> dedupe -> filter -> score for one message; `eventTime` is what advances its watermark. */
export function classifyInput(
  input: EngineInput,
  dedupe: DedupeState,
  filter: (tweet: Tweet) => FilteredTweet | Dropped,
  options: ClassifyOptions,
): Classified {
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
  if (tweet.kind === 'dropped') return { outcome: 'rejected', drop: tweet, eventTime: input.timestamp };
  const unique = dedupe.step(tweet);
  const kept = unique.kind === 'dropped' ? unique : filter(unique);
  if (kept.kind === 'dropped') return { outcome: 'dropped', drop: kept, tweet, eventTime: tweet.createdAt };
  return {
    outcome: 'stored',
    scored: scoreTweet(kept, options.scoring, options.weight),
    eventTime: tweet.createdAt,
  };
}

export function intakeRecord(input: EngineInput, c: Classified): IntakeRecord {
  const outcome: Outcome = c.outcome;
  const drop = c.outcome === 'stored' ? undefined : c.drop;
  return {
    partition: input.partition,
    offset: input.offset,
    eventTime: c.eventTime,
    tweetId: c.outcome === 'stored' ? c.scored.id : c.outcome === 'dropped' ? c.tweet.id : '',
    outcome,
    stage: drop?.stage ?? '',
    reason: drop?.reason ?? '',
  };
}

export interface ScoreOutput {
  readonly intake: IntakeRecord[];
  readonly scored: ScoredTweet[];
  readonly rejected: Rejection[];
  /** Records for tweets.scored (one per tweet and symbol, keyed by symbol), in source order. */
  readonly repartition: OutgoingMessage[];
}

export interface ScorePartitionSnapshot {
  readonly version: 1;
  readonly dedupe: DedupeSnapshot;
  /** Max event time of every message consumed so far; null before any. */
  readonly watermark: number | null;
}

export interface ScorePartitionOptions extends ClassifyOptions {
  readonly dedupe?: DedupeOptions;
  /** The shared filter (stateless, see createTweetFilter); built once per process. */
  readonly filterFn: (tweet: Tweet) => FilteredTweet | Dropped;
}

export interface ScorePartition {
  readonly partition: number;
  push(input: EngineInput): void;
  drain(): ScoreOutput;
  /** The partition's mark when its watermark moved since the last call (or this is the first call). */
  takeMark(): SourceMark | null;
  snapshot(): ScorePartitionSnapshot;
  readonly pendingInputs: number;
}

function emptyOutput(): ScoreOutput {
  return { intake: [], scored: [], rejected: [], repartition: [] };
}

export function createScorePartition(
  partition: number,
  options: ScorePartitionOptions,
  from?: ScorePartitionSnapshot,
): ScorePartition {
  const dedupe = createDedupeState(options.dedupe, from?.dedupe);
  let watermark: number | null = from?.watermark ?? null;
  let markSent: number | null | undefined;
  let out = emptyOutput();
  let pending = 0;
  return {
    partition,
    push(input) {
      if (input.partition !== partition) {
        throw new RangeError(`partition ${input.partition} pushed to the scorer of ${partition}`);
      }
      pending++;
      const c = classifyInput(input, dedupe, options.filterFn, options);
      out.intake.push(intakeRecord(input, c));
      if (c.outcome === 'rejected') out.rejected.push({ input, drop: c.drop });
      if (c.outcome === 'stored') {
        out.scored.push(c.scored);
        out.repartition.push(...scoredMessages(c.scored, partition, input.offset, watermark));
      }
      if (watermark === null || c.eventTime > watermark) watermark = c.eventTime;
    },
    drain() {
      const taken = out;
      out = emptyOutput();
      pending = 0;
      return taken;
    },
    takeMark() {
      if (markSent !== undefined && markSent === watermark) return null;
      markSent = watermark;
      return { kind: 'mark', source: partition, watermarkBefore: watermark };
    },
    snapshot: () => ({ version: 1, dedupe: dedupe.snapshot(), watermark }),
    get pendingInputs() {
      return pending;
    },
  };
}
