/**
 * The baseline for `operators.chain`: the same work as the RxJS chain — normalize -> dedupe ->
 * filter -> score -> window -> signal over the same plain decision functions — written as a plain
 * loop without RxJS. Also used to check that both produce the same result.
 */
import {
  type Bucket,
  createDecider,
  createDedupeState,
  createHourlyWindows,
  createTweetFilter,
  type Decision,
  type DecisionOptions,
  type DedupeOptions,
  type FilterOptions,
  normalizeEnvelope,
  type ScoringModel,
  scoreTweet,
  type WindowOptions,
} from '../operators/index.js';

export interface ChainSetup {
  readonly model: ScoringModel;
  readonly decisions: DecisionOptions;
  readonly dedupe?: DedupeOptions;
  readonly filter?: FilterOptions;
  readonly window?: WindowOptions;
  /** Called every 65,536 inputs (e.g. to sample RSS; a timer cannot fire inside a synchronous run). */
  readonly tick?: () => void;
}

/** What a run produced, compact enough to compare the two implementations. */
export interface ChainDigest {
  inputs: number;
  dropped: Record<string, number>;
  buckets: number;
  bucketTweets: number;
  weightedMeanSum: number;
  decisions: Record<string, number>;
  lastDecisionId: string;
}

export function emptyDigest(): ChainDigest {
  return {
    inputs: 0,
    dropped: {},
    buckets: 0,
    bucketTweets: 0,
    weightedMeanSum: 0,
    decisions: {},
    lastDecisionId: '',
  };
}

/** Folds one output item of the chain into a digest (used by both implementations). */
export function digestItem(digest: ChainDigest, item: { readonly kind: string }): void {
  if (item.kind === 'dropped') {
    const d = item as unknown as { stage: string; reason: string };
    const key = `${d.stage}/${d.reason}`;
    digest.dropped[key] = (digest.dropped[key] ?? 0) + 1;
  } else if (item.kind === 'bucket') {
    const b = item as unknown as { count: number; weightedMean: number };
    digest.buckets++;
    digest.bucketTweets += b.count;
    digest.weightedMeanSum += b.weightedMean;
  } else if (item.kind === 'decision') {
    const d = item as Decision;
    digest.decisions[d.action] = (digest.decisions[d.action] ?? 0) + 1;
    digest.lastDecisionId = d.id;
  }
}

/** How far runPlainChain goes: the stages up to and including this one. */
export type ChainStage = 'parse' | 'normalize' | 'dedupe' | 'filter' | 'score' | 'all';

/**
 * The chain as a plain loop. `upTo` stops each input after that stage ('parse': JSON.parse alone), so
 * the bench can say what each stage adds; stopped inputs leave only a count in the digest.
 */
export function runPlainChain(
  payloads: readonly string[],
  setup: ChainSetup,
  upTo: ChainStage = 'all',
): ChainDigest {
  const digest = emptyDigest();
  const dedupe = createDedupeState(setup.dedupe);
  const filter = createTweetFilter(setup.filter);
  const windows = createHourlyWindows(setup.window);
  const decider = createDecider(setup.decisions);
  const emit = (items: readonly { readonly kind: string }[]): void => {
    for (const item of items) {
      digestItem(digest, item);
      if (item.kind === 'bucket') digestItem(digest, decider.decide(item as Bucket));
    }
  };
  for (const payload of payloads) {
    if ((++digest.inputs & 0xffff) === 0) setup.tick?.();
    if (upTo === 'parse') {
      digest.bucketTweets += JSON.parse(payload) === null ? 0 : 1;
      continue;
    }
    const tweet = normalizeEnvelope(payload);
    if (tweet.kind === 'dropped') {
      digestItem(digest, tweet);
      continue;
    }
    if (upTo === 'normalize') continue;
    const unique = dedupe.step(tweet);
    if (unique.kind === 'dropped') {
      digestItem(digest, unique);
      continue;
    }
    if (upTo === 'dedupe') continue;
    const kept = filter(unique);
    if (kept.kind === 'dropped') {
      digestItem(digest, kept);
      continue;
    }
    if (upTo === 'filter') continue;
    const scored = scoreTweet(kept, setup.model);
    if (upTo === 'score') continue;
    emit(windows.step(scored));
  }
  if (upTo === 'all') emit(windows.flush());
  return digest;
}
