import { defer, map, type Observable, type OperatorFunction } from 'rxjs';
import { RecentIds, type RecentIdsSnapshot } from './recent-ids.js';
import { simhashText } from './simhash.js';
import { SimHashIndex, type SimHashIndexSnapshot } from './simhash-index.js';
import { dropped } from './tally-drops.js';
import type { Dropped, Tweet } from './types.js';

export interface DedupeOptions {
  /** Event-time horizon behind the latest tweet seen; older state is forgotten. */
  readonly horizonMs?: number;
  /** Most tweet ids remembered (exact and retweet dedupe). */
  readonly maxIds?: number;
  /** Most text hashes remembered (near-duplicate dedupe). */
  readonly maxTexts?: number;
  /** Largest SimHash Hamming distance (0..3, of 64 bits) that makes two texts near duplicates. */
  readonly maxDistance?: number;
  /** Texts with fewer words are never near duplicates: short texts ("$BTC 🚀") collide honestly. */
  readonly minTokens?: number;
}

export const DEFAULT_DEDUPE_OPTIONS: Required<DedupeOptions> = {
  horizonMs: 6 * 3_600_000,
  maxIds: 500_000,
  maxTexts: 200_000,
  maxDistance: 3,
  minTokens: 4,
};

/** The decision core of {@link dedupeTweets}: one instance per subscription. */
export interface DedupeState {
  step(tweet: Tweet): Tweet | Dropped;
  /** Held entries: ids and text hashes; each stays within its bound. */
  size(): { readonly ids: number; readonly texts: number };
  /** Everything needed to resume exactly here (JSON-serialisable; size follows the bounds). */
  snapshot(): DedupeSnapshot;
}

export interface DedupeSnapshot {
  readonly version: 1;
  readonly ids: RecentIdsSnapshot;
  readonly texts: SimHashIndexSnapshot;
}

/**
 * Creates the plain dedupe state machine. Policy, in order:
 * 1. an id seen within the horizon drops as `duplicate_id`;
 * 2. a retweet counts against its original, not as a new opinion: if the original (or another
 *    retweet of it) was seen within the horizon it drops as `retweet`; otherwise it passes and
 *    stands in for the original (its text is the original's), and the original drops later as
 *    `duplicate_id`. The original's reach already shows in its retweet_count, which the scorer's
 *    weight uses;
 * 3. a text within `maxDistance` bits (SimHash) of one seen within the horizon drops as `near_duplicate`.
 * `from` resumes from a snapshot taken by `snapshot()` (e.g. a checkpoint of the process stage).
 */
export function createDedupeState(options?: DedupeOptions, from?: DedupeSnapshot): DedupeState {
  const o = { ...DEFAULT_DEDUPE_OPTIONS, ...options };
  const ids = new RecentIds({ capacity: o.maxIds, horizonMs: o.horizonMs });
  const texts = new SimHashIndex({
    capacity: o.maxTexts,
    horizonMs: o.horizonMs,
    maxDistance: o.maxDistance,
  });
  const scratch = new Int32Array(16);
  if (from !== undefined) {
    ids.restore(from.ids);
    texts.restore(from.texts);
  }
  return {
    step(tweet) {
      ids.advance(tweet.createdAt);
      if (ids.seenOrAdd(tweet.id, tweet.createdAt)) {
        return dropped('dedupe', 'duplicate_id', `id ${tweet.id} seen before`, tweet.id, tweet.createdAt);
      }
      if (tweet.retweetOf !== null && ids.seenOrAdd(tweet.retweetOf, tweet.createdAt)) {
        return dropped('dedupe', 'retweet', `retweet of ${tweet.retweetOf}`, tweet.id, tweet.createdAt);
      }
      const hash = simhashText(tweet.text, scratch);
      if (hash.tokens >= o.minTokens) {
        const like = texts.findOrInsert(hash, tweet.createdAt, tweet.id);
        if (like !== null) {
          return dropped('dedupe', 'near_duplicate', `text like ${like}`, tweet.id, tweet.createdAt);
        }
      }
      return tweet;
    },
    size: () => ({ ids: ids.size, texts: texts.size }),
    snapshot: () => ({ version: 1, ids: ids.snapshot(), texts: texts.snapshot() }),
  };
}

/**
 * Drops repeated tweets, retweets of tweets already counted, and near-duplicate texts
 * (copy-paste spam across accounts) within an event-time horizon. Dropped items pass through.
 *
 *   input:  --a--a--r(a)--b--b'--|      (r(a) retweets a, b' is b copy-pasted by another account)
 *   output: --a--D--D-----b--D---|      (D = Dropped{stage:'dedupe'}: duplicate_id, retweet, near_duplicate)
 *
 * Example: `tweets$.pipe(dedupeTweets({ horizonMs: 6 * 3_600_000 }))`; a runtime that checkpoints
 * passes its own `{ state }` (createDedupeState, maybe from a snapshot) and snapshots it between items.
 * Cost: O(text length) per tweet; memory fixed by maxIds (about 48 B each) and maxTexts (about
 * 40 B each with the id, plus 17 MB of band buckets), allocated per subscription unless `state` is given.
 */
export function dedupeTweets(
  options?: DedupeOptions | { readonly state: DedupeState },
): OperatorFunction<Tweet | Dropped, Tweet | Dropped> {
  return (source: Observable<Tweet | Dropped>) =>
    defer(() => {
      const state = options !== undefined && 'state' in options ? options.state : createDedupeState(options);
      return source.pipe(map((item) => (item.kind === 'tweet' ? state.step(item) : item)));
    });
}
