import { map, type OperatorFunction } from 'rxjs';
import { dropped } from './tally-drops.js';
import type { Dropped, FilteredTweet, ScoredTweet, Tweet } from './types.js';

export interface DropTweetsOptions<T> {
  /** Machine reason the drops carry (counted per reason, like the built-in filter's). */
  readonly reason: string;
  /** True for a tweet to drop. Must be pure: no I/O, no clock, no randomness (replays decide the same). */
  readonly when: (tweet: T) => boolean;
  /** A human detail for the drop (default: the reason). */
  readonly detail?: (tweet: T) => string;
}

/**
 * A filter of your own, in the chain's terms: a tweet for which `when` holds becomes a
 * Dropped{stage:'filter', reason}; everything else passes unchanged (drops included). It drops rather
 * than swallowing, so every input still ends as exactly one tweet or one drop and the accounting stays
 * exact.
 *
 *   input:  --a--b--D--|      (b matches `when`)
 *   output: --a--d--D--|      (d = Dropped{stage:'filter', reason})
 *
 * Example: `filtered$.pipe(dropTweets({ reason: 'too_short', when: (t) => t.text.length < 20 }))`
 * Cost: stateless; one call of `when` per tweet.
 */
export function dropTweets<T extends Tweet | FilteredTweet | ScoredTweet>(
  options: DropTweetsOptions<T>,
): OperatorFunction<T | Dropped, T | Dropped> {
  const { reason, when, detail } = options;
  return map((item) =>
    item.kind === 'dropped' || !when(item as T)
      ? item
      : dropped('filter', reason, detail?.(item as T) ?? reason, (item as T).id, (item as T).createdAt),
  );
}
