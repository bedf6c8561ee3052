-- Core tables of the processing stage. Runs on ClickHouse 18.16 and current ClickHouse:
-- no TTL, LowCardinality or DateTime64 here (retention is applied by `sentiflow migrate` where the
-- server supports TTL, by `sentiflow prune` elsewhere). Every table is keyed so that writing the same
-- row again replaces it: replays and restarts never count twice (read with FINAL).

-- One row per (tweet, symbol): what was stored and how it scored.
CREATE TABLE IF NOT EXISTS tweets (
  symbol String,
  created_at DateTime,
  created_at_ms UInt64,
  tweet_id String,
  author_id String,
  author_username String,
  author_followers UInt32,
  lang String,
  text String,
  score Float32,
  weight Float32,
  likes UInt32,
  retweets UInt32,
  replies UInt32,
  quotes UInt32,
  retweet_of String,
  rule_tags Array(String)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(created_at)
ORDER BY (symbol, created_at, tweet_id);

-- One row per (symbol, hour): a closed window bucket. version = count, so if a bucket were ever
-- rewritten the more complete one wins.
CREATE TABLE IF NOT EXISTS sentiment_hourly (
  symbol String,
  bucket_start DateTime,
  count UInt32,
  score_sum Float64,
  score_mean Float64,
  weight_sum Float64,
  weighted_score_sum Float64,
  weighted_mean Float64,
  positive UInt32,
  negative UInt32,
  neutral UInt32,
  distinct_authors UInt32,
  first_event_ms UInt64,
  last_event_ms UInt64,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(bucket_start)
ORDER BY (symbol, bucket_start);

-- One row per decision (strategy, symbol, bucket); decision_id is derived from those three.
CREATE TABLE IF NOT EXISTS signals (
  decision_id String,
  strategy String,
  symbol String,
  bucket_start DateTime,
  decided_at DateTime,
  action Enum8('BUY' = 1, 'SELL' = 2, 'HOLD' = 3),
  size Float64,
  reason String,
  inputs_json String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(bucket_start)
ORDER BY (symbol, bucket_start, strategy, decision_id);

-- The ledger: one row per consumed Kafka message and what became of it, keyed by its offset.
-- consumed = stored + dropped + rejected holds by construction; dlq_counts aggregates it.
CREATE TABLE IF NOT EXISTS intake (
  topic String,
  partition UInt16,
  offset UInt64,
  event_hour DateTime,
  tweet_id String,
  outcome Enum8('stored' = 1, 'dropped' = 2, 'rejected' = 3),
  stage String,
  reason String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_hour)
ORDER BY (topic, partition, offset);

-- Drops and rejections per reason per hour: data quality at a glance.
CREATE VIEW IF NOT EXISTS dlq_counts AS
SELECT event_hour AS hour, outcome, stage, reason, count() AS messages
FROM intake FINAL
WHERE outcome != 'stored'
GROUP BY hour, outcome, stage, reason;
