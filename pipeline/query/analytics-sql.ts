/**
 * The SQL of `sentiflow query`: one builder per question, over the tables of migrations 0001 and 0101.
 * Every builder takes validated values only and writes them through sql.ts; the text stays in the
 * subset ClickHouse 18.16 understands and runs unchanged on current ClickHouse (see the chdb test).
 * Times leave ClickHouse as epoch seconds (toUInt32) so the server's time zone never matters, and
 * hours are computed from epoch seconds for the same reason. Ranges are half-open: [from, to).
 */
import { DEFAULT_WINDOW_OPTIONS, type TweetSource } from '../../operators/index.js';
import { dateTimeLiteral, numberLiteral, quoteString, stringList } from '../../sinks/clickhouse/sql.js';

export interface AnalyticsRange {
  /** Epoch ms, inclusive. */
  readonly fromMs: number;
  /** Epoch ms, exclusive. */
  readonly toMs: number;
}

export interface AnalyticsFilter extends AnalyticsRange {
  /** Validated symbols; empty means all. */
  readonly symbols: readonly string[];
  readonly limit: number;
  /** A validated post source: only its tweets (and intake rows); absent means every source. */
  readonly source?: TweetSource;
}

const between = (column: string, { fromMs, toMs }: AnalyticsRange): string =>
  `${column} >= ${dateTimeLiteral(fromMs)} AND ${column} < ${dateTimeLiteral(toMs)}`;

const symbolIn = (symbols: readonly string[]): string =>
  symbols.length === 0 ? '' : ` AND symbol IN (${stringList(symbols)})`;

const sourceIs = (source: TweetSource | undefined): string =>
  source === undefined ? '' : ` AND source = ${quoteString(source)}`;

/**
 * Closed hourly buckets of one symbol, as the window operator wrote them. With a source, the buckets
 * hold every source together, so the hours come from that source's stored tweets instead
 * ({@link hourlyBySourceSql}).
 */
export function hourlySql(f: AnalyticsFilter & { readonly symbol: string }): string {
  if (f.source !== undefined) return hourlyBySourceSql({ ...f, source: f.source });
  return `SELECT toUInt32(bucket_start) AS hour, count AS tweets, score_mean, weighted_mean,
  positive, negative, neutral, distinct_authors
FROM sentiment_hourly FINAL
WHERE symbol = ${quoteString(f.symbol)} AND ${between('bucket_start', f)}
ORDER BY bucket_start
LIMIT ${numberLiteral(f.limit)}`;
}

/**
 * One source's hours of one symbol from the tweets table, with the bucket's columns computed as the
 * window computes them (positive/negative beyond the default neutral band). It counts the stored tweets
 * of the hour, including any the window later dropped as late, so it can exceed sentiment_hourly's count.
 */
export function hourlyBySourceSql(
  f: AnalyticsFilter & { readonly symbol: string; readonly source: TweetSource },
): string {
  const band = `toFloat32(${numberLiteral(DEFAULT_WINDOW_OPTIONS.neutralBand)})`;
  return `SELECT intDiv(toUInt32(created_at), 3600) * 3600 AS hour, count() AS tweets, avg(score) AS score_mean,
  sum(score * weight) / sum(weight) AS weighted_mean, countIf(score > ${band}) AS positive,
  countIf(score < -${band}) AS negative, countIf(score >= -${band} AND score <= ${band}) AS neutral,
  uniqExact(author_id) AS distinct_authors
FROM tweets FINAL
WHERE symbol = ${quoteString(f.symbol)}${sourceIs(f.source)} AND ${between('created_at', f)}
GROUP BY hour
ORDER BY hour
LIMIT ${numberLiteral(f.limit)}`;
}

/** Weighted mean and volume per (hour, symbol); the caller pivots symbols into columns. */
export function compareSql(f: AnalyticsFilter): string {
  return `SELECT toUInt32(bucket_start) AS hour, symbol, weighted_mean, count AS tweets
FROM sentiment_hourly FINAL
WHERE ${between('bucket_start', f)}${symbolIn(f.symbols)}
ORDER BY bucket_start, symbol`;
}

/**
 * One row per stored tweet in the range (tweets holds one row per (tweet, symbol)), so a tweet about
 * BTC and ETH counts once for its rule tags and its author.
 */
const perTweet = (
  f: AnalyticsFilter,
): string => `SELECT tweet_id, author_id, any(author_username) AS username,
    any(score) AS s, any(weight) AS w, any(rule_tags) AS tags
  FROM tweets FINAL
  WHERE ${between('created_at', f)}${symbolIn(f.symbols)}${sourceIs(f.source)}
  GROUP BY tweet_id, author_id`;

/** Volume and sentiment per stream rule tag; tweets without a tag count under '(untagged)'. */
export function rulesSql(f: AnalyticsFilter): string {
  return `SELECT arrayJoin(if(empty(tags), ['(untagged)'], tags)) AS tag, count() AS tweets, avg(s) AS score_mean,
  sum(s * w) / sum(w) AS weighted_mean, uniqExact(author_id) AS authors
FROM (${perTweet(f)})
GROUP BY tag
ORDER BY tweets DESC, tag
LIMIT ${numberLiteral(f.limit)}`;
}

/** Authors ranked by the summed weight of their stored tweets. */
export function authorsSql(f: AnalyticsFilter): string {
  return `SELECT author_id, any(username) AS author_username, count() AS tweets, sum(w) AS weight_sum,
  avg(s) AS score_mean, sum(s * w) / sum(w) AS weighted_mean
FROM (${perTweet(f)})
GROUP BY author_id
ORDER BY weight_sum DESC, author_id
LIMIT ${numberLiteral(f.limit)}`;
}

/**
 * Social metrics per (symbol, hour), the ones Santiment and LunarCrush users know: social volume
 * (stored tweets), unique authors, social dominance (the symbol's share of every symbol's volume that
 * hour, all symbols counted whatever the filter), sentiment balance (positive minus negative tweets)
 * and weighted sentiment. Exact: counts are integers and dominance one division of them.
 */
export function metricsSql(f: AnalyticsFilter): string {
  return `SELECT toUInt32(bucket_start) AS hour, symbol, count AS tweets, distinct_authors AS authors,
  count / hour_tweets AS dominance, toInt64(positive) - toInt64(negative) AS balance,
  positive, negative, weighted_mean
FROM (
  SELECT symbol, bucket_start, count, distinct_authors, positive, negative, weighted_mean
  FROM sentiment_hourly FINAL
  WHERE ${between('bucket_start', f)}${symbolIn(f.symbols)}
) AS s
ANY LEFT JOIN (
  SELECT bucket_start, sum(count) AS hour_tweets
  FROM sentiment_hourly FINAL
  WHERE ${between('bucket_start', f)}
  GROUP BY bucket_start
) AS t USING bucket_start
ORDER BY hour, symbol
LIMIT ${numberLiteral(f.limit)}`;
}

/**
 * Drops and rejections per reason per hour, from the dlq_counts view over the intake ledger (which
 * counts per source: summed here unless one source is asked for).
 */
export function dropsSql(f: AnalyticsFilter): string {
  return `SELECT toUInt32(hour) AS hour_start, toString(outcome) AS outcome, stage, reason, sum(messages) AS messages
FROM dlq_counts
WHERE ${between('hour', f)}${sourceIs(f.source)}
GROUP BY hour, outcome, stage, reason
ORDER BY hour_start, outcome, stage, reason
LIMIT ${numberLiteral(f.limit)}`;
}

/** Drops and rejections per reason over the whole range (aliases differ from the columns they sum). */
export function dropTotalsSql(f: AnalyticsRange & { readonly source?: TweetSource }): string {
  return `SELECT toString(outcome) AS outcome_name, stage, reason, sum(messages) AS total
FROM dlq_counts
WHERE ${between('hour', f)}${sourceIs(f.source)}
GROUP BY outcome, stage, reason
ORDER BY total DESC, outcome_name, stage, reason`;
}

/**
 * Latest decisions first; with the orders table, each joined to its order by decision_id. Current
 * ClickHouse requires aliases on joined subqueries (18.16 accepts and ignores them).
 */
export function signalsSql(f: AnalyticsFilter & { readonly withOrders: boolean }): string {
  const latest = `SELECT decision_id, toUInt32(bucket_start) AS bucket, strategy, symbol,
    toString(action) AS action, size, reason, inputs_json
  FROM signals FINAL
  WHERE ${between('bucket_start', f)}${symbolIn(f.symbols)}
  ORDER BY bucket_start DESC, symbol, strategy
  LIMIT ${numberLiteral(f.limit)}`;
  if (!f.withOrders) return `SELECT * FROM (${latest}) ORDER BY bucket DESC, symbol, strategy`;
  return `SELECT decision_id, bucket, strategy, symbol, action, size, reason, inputs_json,
  order_status, filled_amount, average_price
FROM (${latest}) AS s
ANY LEFT JOIN (
  SELECT decision_id, status AS order_status, filled_amount, average_price FROM orders FINAL
) AS o USING decision_id
ORDER BY bucket DESC, symbol, strategy`;
}

/** The intake ledger per hour: consumed counts every offset once, independently of the outcomes. */
export function accountingHoursSql(f: AnalyticsRange & { readonly source?: TweetSource }): string {
  return `SELECT toUInt32(event_hour) AS hour, count() AS consumed, countIf(outcome = 'stored') AS stored,
  countIf(outcome = 'dropped') AS dropped, countIf(outcome = 'rejected') AS rejected
FROM intake FINAL
WHERE ${between('event_hour', f)}${sourceIs(f.source)}
GROUP BY event_hour
ORDER BY event_hour`;
}

/** The same ledger over the whole range, counted on its own so the hours can be checked against it. */
export function accountingTotalSql(f: AnalyticsRange & { readonly source?: TweetSource }): string {
  return `SELECT count() AS consumed, countIf(outcome = 'stored') AS stored,
  countIf(outcome = 'dropped') AS dropped, countIf(outcome = 'rejected') AS rejected
FROM intake FINAL
WHERE ${between('event_hour', f)}${sourceIs(f.source)}`;
}

/** Drops and rejections per (hour, outcome, stage, reason) from the ledger itself. */
export function accountingReasonsSql(f: AnalyticsRange & { readonly source?: TweetSource }): string {
  return `SELECT toUInt32(event_hour) AS hour, toString(outcome) AS outcome, stage, reason, count() AS messages
FROM intake FINAL
WHERE outcome != 'stored' AND ${between('event_hour', f)}${sourceIs(f.source)}
GROUP BY event_hour, outcome, stage, reason
ORDER BY event_hour, outcome, stage, reason`;
}

/** Whether a table exists in the client's database (orders belongs to the trading migrations). */
export function tableExistsSql(table: string): string {
  return `SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = ${quoteString(table)}`;
}
