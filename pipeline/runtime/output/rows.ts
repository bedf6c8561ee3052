/** The chain's output -> ClickHouse rows (JSONEachRow). Column names and types follow sinks/clickhouse/migrations. */
import type { Bucket, Decision, ScoredTweet } from '../../../operators/index.js';
import type { IntakeRecord } from '../tally.js';

const seconds = (ms: number): number => Math.floor(ms / 1000);
const hour = (ms: number): number => Math.floor(ms / 3_600_000) * 3_600;

export function tweetRows(tweet: ScoredTweet): Record<string, unknown>[] {
  const shared = {
    created_at: seconds(tweet.createdAt),
    created_at_ms: tweet.createdAt,
    tweet_id: tweet.id,
    author_id: tweet.authorId,
    author_username: tweet.authorUsername ?? '',
    author_followers: Math.min(tweet.authorFollowers ?? 0, 4_294_967_295),
    lang: tweet.lang ?? '',
    text: tweet.text,
    score: tweet.score,
    weight: tweet.weight,
    likes: tweet.metrics.likes,
    retweets: tweet.metrics.retweets,
    replies: tweet.metrics.replies,
    quotes: tweet.metrics.quotes,
    retweet_of: tweet.retweetOf ?? '',
    rule_tags: tweet.ruleTags,
    source: tweet.source,
  };
  return tweet.symbols.map((symbol) => ({ symbol, ...shared }));
}

export function intakeRow(topic: string, r: IntakeRecord): Record<string, unknown> {
  return {
    topic,
    partition: r.partition,
    offset: r.offset,
    event_hour: hour(r.eventTime),
    tweet_id: r.tweetId,
    outcome: r.outcome,
    stage: r.stage,
    reason: r.reason,
    source: r.source,
  };
}

export function bucketRow(b: Bucket): Record<string, unknown> {
  return {
    symbol: b.symbol,
    bucket_start: seconds(b.start),
    count: b.count,
    score_sum: b.scoreSum,
    score_mean: b.scoreMean,
    weight_sum: b.weightSum,
    weighted_score_sum: b.weightedScoreSum,
    weighted_mean: b.weightedMean,
    positive: b.positive,
    negative: b.negative,
    neutral: b.neutral,
    distinct_authors: b.distinctAuthors,
    first_event_ms: b.firstEventTime,
    last_event_ms: b.lastEventTime,
    version: b.count,
  };
}

export function signalRow(d: Decision): Record<string, unknown> {
  return {
    decision_id: d.id,
    strategy: d.strategy,
    symbol: d.symbol,
    bucket_start: seconds(d.bucketStart),
    decided_at: seconds(d.decidedAt),
    action: d.action,
    size: d.size,
    reason: d.reason,
    inputs_json: JSON.stringify(d.inputs),
  };
}
