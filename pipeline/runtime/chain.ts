/**
 * The operator chain every mode runs, composed here once with RxJS `pipe`: `process --stage all` (on
 * the consuming thread or in score threads), `--stage score`, `--stage window` and `backtest`.
 *
 * The score half runs per tweets.raw partition; the window half over every partition's scored tweets
 * (or one tweets.scored partition's). The runtime hands each half the state objects it snapshots and
 * restores: a partition's dedupe memory, the windows and the decider.
 *
 * Contract the runtime checks: the score half turns every payload into exactly one ScoredTweet or one
 * Dropped, synchronously (that is what makes consumed = stored + dropped + rejected exact, and what a
 * checkpoint between two inputs relies on). So an operator of your own drops with a reason rather than
 * filtering items out — for example, after `filterTweets`:
 *
 *   dropTweets({ reason: 'too_short', when: (t) => t.text.length < 20 }),
 *
 * To run your own chain without editing this file, give a module exporting `scoreChain` and
 * `windowChain` of these types in `SENTIFLOW_CHAIN_MODULE` (README: "Your own operators").
 */
import type { OperatorFunction } from 'rxjs';
import {
  type Bucket,
  type Decider,
  type Decision,
  type DedupeState,
  type Dropped,
  dedupeTweets,
  emitDecisions,
  type FilterOptions,
  filterTweets,
  type HourlyWindows,
  type NormalizeOptions,
  normalizeEnvelopes,
  type ScoredTweet,
  type ScoringModel,
  scoreTweets,
  type TweetWeightOptions,
  type WindowInput,
  windowByHour,
} from '../../operators/index.js';

/** What the score half of one partition is built from: its own dedupe memory and the shared settings. */
export interface ScoreChainContext {
  readonly dedupe: DedupeState;
  readonly model: ScoringModel;
  readonly filter?: FilterOptions;
  readonly weight?: TweetWeightOptions;
  readonly normalize?: NormalizeOptions;
}

/** What the window half is built from: the windows and the decider the runtime checkpoints. */
export interface WindowChainContext {
  readonly windows: HourlyWindows;
  readonly decider: Decider;
}

export type ScoreChain = (
  context: ScoreChainContext,
) => OperatorFunction<Uint8Array | string | null, ScoredTweet | Dropped>;

export type WindowChain = (
  context: WindowChainContext,
) => OperatorFunction<WindowInput, Bucket | Dropped | Decision>;

/** normalize -> dedupe -> filter -> score, for one tweets.raw partition. */
export const scoreChain: ScoreChain = (c) => (payload$) =>
  payload$.pipe(
    normalizeEnvelopes(c.normalize),
    dedupeTweets({ state: c.dedupe }),
    filterTweets(c.filter),
    scoreTweets(c.model, c.weight),
  );

/** window -> signal, over the scored tweets of every source partition. */
export const windowChain: WindowChain = (c) => (scored$) =>
  scored$.pipe(windowByHour({ windows: c.windows }), emitDecisions({ decider: c.decider }));
