/**
 * The data contract shared by every stage. Operators consume and produce these; pipeline/ and
 * sinks/ only ever import them as types.
 *
 * Flow: unknown (parsed JSON) -> normalize -> Tweet | Dropped -> dedupe -> filter -> FilteredTweet
 * -> score -> ScoredTweet -> window -> Bucket -> signal -> Decision.
 * Drops travel in-band as `Dropped` items so that every input yields exactly one terminal item and
 * the accounting (consumed = stored + dropped + rejected) holds by construction.
 */

// ---- X API v2 wire shapes (what X delivers; every field may be missing or wrong on bad input) ----

export interface RawPublicMetrics {
  readonly retweet_count?: number;
  readonly reply_count?: number;
  readonly like_count?: number;
  readonly quote_count?: number;
  readonly impression_count?: number;
}

export interface RawReferencedTweet {
  readonly type: 'retweeted' | 'quoted' | 'replied_to';
  readonly id: string;
}

export interface RawTweetData {
  readonly id: string;
  readonly text: string;
  readonly created_at?: string;
  readonly author_id?: string;
  readonly lang?: string;
  readonly public_metrics?: RawPublicMetrics;
  readonly referenced_tweets?: readonly RawReferencedTweet[];
  readonly entities?: {
    readonly cashtags?: readonly { readonly tag: string }[];
    readonly hashtags?: readonly { readonly tag: string }[];
  };
}

export interface RawUser {
  readonly id: string;
  readonly username?: string;
  readonly name?: string;
  readonly created_at?: string;
  readonly verified?: boolean;
  readonly public_metrics?: {
    readonly followers_count?: number;
    readonly following_count?: number;
    readonly tweet_count?: number;
    readonly listed_count?: number;
  };
}

export interface RawMatchingRule {
  readonly id: string;
  readonly tag?: string;
}

/** One X API v2 filtered-stream message or one search result re-wrapped in the same shape. */
export interface RawEnvelope {
  readonly data: RawTweetData;
  readonly includes?: {
    readonly users?: readonly RawUser[];
    readonly tweets?: readonly RawTweetData[];
  };
  readonly matching_rules?: readonly RawMatchingRule[];
}

// ---- Domain ----

export type SymbolCode = string;

export interface TweetMetrics {
  readonly retweets: number;
  readonly replies: number;
  readonly likes: number;
  readonly quotes: number;
}

/**
 * Where a post came from, as normalize recognised its payload (by shape, never by a header: a file replay
 * has none). Ids follow the source: X a numeric id, Bluesky `at://<did>/app.bsky.feed.post/<rkey>`,
 * Mastodon the status `uri`.
 */
export const TWEET_SOURCES = ['x', 'bluesky', 'mastodon'] as const;
export type TweetSource = (typeof TWEET_SOURCES)[number];

export interface Tweet {
  readonly kind: 'tweet';
  readonly id: string;
  readonly source: TweetSource;
  readonly text: string;
  /** Event time: created_at in epoch milliseconds. */
  readonly createdAt: number;
  readonly authorId: string;
  readonly authorUsername: string | null;
  readonly authorFollowers: number | null;
  /** Author account creation time, epoch ms, when the source sent it (X, Mastodon; never Bluesky). */
  readonly authorCreatedAt: number | null;
  readonly lang: string | null;
  readonly metrics: TweetMetrics;
  /** For a retweet (Mastodon: a reblog), the original's id (and the original's text is in `text`). */
  readonly retweetOf: string | null;
  readonly quoteOf: string | null;
  readonly replyTo: string | null;
  readonly ruleTags: readonly string[];
}

export interface FilteredTweet extends Omit<Tweet, 'kind'> {
  readonly kind: 'filtered';
  /** Symbols this tweet counts for (non-empty, sorted, unique). */
  readonly symbols: readonly SymbolCode[];
}

export interface ScoredTweet extends Omit<FilteredTweet, 'kind'> {
  readonly kind: 'scored';
  /** Sentiment in [-1, 1]. */
  readonly score: number;
  /** Influence weight from author reach and engagement, bounded (see score docs). */
  readonly weight: number;
}

export const DROP_STAGES = ['normalize', 'dedupe', 'filter', 'window'] as const;
export type DropStage = (typeof DROP_STAGES)[number];

/**
 * An input that did not make it to storage, with a machine-readable reason
 * (e.g. 'missing_id', 'duplicate_id', 'near_duplicate', 'language', 'no_symbol', 'spam_giveaway').
 * Stage 'normalize' drops are rejections: the pipeline sends them to the DLQ.
 */
export interface Dropped {
  readonly kind: 'dropped';
  readonly stage: DropStage;
  readonly reason: string;
  readonly detail: string;
  readonly tweetId: string | null;
  /** Event time when known (null for rejections without a usable created_at). */
  readonly eventTime: number | null;
}

export interface Bucket {
  readonly kind: 'bucket';
  readonly symbol: SymbolCode;
  /** Bucket start, epoch ms, aligned to the hour (UTC). */
  readonly start: number;
  readonly count: number;
  readonly scoreSum: number;
  readonly scoreMean: number;
  readonly weightSum: number;
  readonly weightedScoreSum: number;
  readonly weightedMean: number;
  readonly positive: number;
  readonly negative: number;
  readonly neutral: number;
  readonly distinctAuthors: number;
  readonly firstEventTime: number;
  readonly lastEventTime: number;
}

export const ACTIONS = ['BUY', 'SELL', 'HOLD'] as const;
export type Action = (typeof ACTIONS)[number];

/** The strategy's own view of its position in a symbol: what it decided so far, not what filled. */
export interface Position {
  readonly symbol: SymbolCode;
  /** Fraction of the maximum position held, in [0, 1] (spot, long-only). */
  readonly exposure: number;
  /** Bucket start of the decision that opened the position, or null when flat. */
  readonly openedAt: number | null;
  /** Bucket start of the strategy's last BUY or SELL, or null/absent when it never traded (for cooldowns). */
  readonly lastTradeAt?: number | null;
}

export interface Decision {
  readonly kind: 'decision';
  /** Deterministic id derived from (strategy, symbol, bucketStart); usable as an exchange client order id. */
  readonly id: string;
  readonly strategy: string;
  readonly symbol: SymbolCode;
  readonly bucketStart: number;
  /** Event time at which the decision was taken: the end of the bucket. */
  readonly decidedAt: number;
  readonly action: Action;
  /**
   * Fraction of the maximum position to buy or sell, in [0, 1]; 0 for HOLD. A SELL of size 1 is an
   * exit: it closes the position whole (the exchange sink sells the entire free balance at the
   * market's precision, whatever the price did since the buy).
   */
  readonly size: number;
  readonly reason: string;
  /** Numbers the strategy looked at (e.g. z-score), for analytics. */
  readonly inputs: Readonly<Record<string, number>>;
}

export interface StrategyVerdict {
  readonly action: Action;
  readonly size: number;
  readonly reason: string;
  readonly inputs: Readonly<Record<string, number>>;
}

/** A pure function of the symbol's closed buckets (oldest first, bounded) and the current position. */
export interface Strategy {
  readonly name: string;
  /** How many trailing buckets `decide` needs to see. */
  readonly historySize: number;
  decide(history: readonly Bucket[], position: Position): StrategyVerdict;
}
