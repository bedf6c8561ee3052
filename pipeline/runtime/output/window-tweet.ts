/**
 * A ScoredTweet carrying only what the window and the decisions read (event time, author, symbols,
 * score, weight): what a score thread sends back to the windowing thread, in process and in backtest.
 */
import type { ScoredTweet, TweetMetrics } from '../../../operators/index.js';

const NO_METRICS: TweetMetrics = Object.freeze({ retweets: 0, replies: 0, likes: 0, quotes: 0 });
const NO_TAGS: readonly string[] = Object.freeze([]);

export function windowTweet(
  id: string,
  createdAt: number,
  authorId: string,
  symbols: readonly string[],
  score: number,
  weight: number,
): ScoredTweet {
  return {
    kind: 'scored',
    id,
    // Not read by the window (tweets rows are written where the whole tweet is): a placeholder like text.
    source: 'x',
    text: '',
    createdAt,
    authorId,
    authorUsername: null,
    authorFollowers: null,
    authorCreatedAt: null,
    lang: null,
    metrics: NO_METRICS,
    retweetOf: null,
    quoteOf: null,
    replyTo: null,
    ruleTags: NO_TAGS,
    symbols,
    score,
    weight,
  };
}
