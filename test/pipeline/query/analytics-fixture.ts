/**
 * A small, hand-computed data set for the analytics queries, shared by the tests on ClickHouse 18.16
 * (test/integration/query-analytics.spec.ts) and on current ClickHouse through chdb
 * (test/integration/chdb-compat.spec.ts). Two hours in range (H0, H1), one row a day before it, and
 * rows written twice to prove every query reads through FINAL.
 */
export const H0 = Date.UTC(2024, 4, 1, 10); // 2024-05-01T10:00Z
export const H1 = H0 + 3_600_000;
export const BEFORE = H0 - 86_400_000;
export const RANGE = { fromMs: H0, toMs: H0 + 2 * 3_600_000 };
export const FROM = '2024-05-01T10:00:00Z';
export const TO = '2024-05-01T12:00:00Z';

const s = (ms: number): number => Math.floor(ms / 1000);

function tweet(
  symbol: string,
  id: string,
  at: number,
  author: string,
  score: number,
  weight: number,
  tags: string[],
): Record<string, unknown> {
  return {
    symbol,
    created_at: s(at),
    created_at_ms: at,
    tweet_id: id,
    author_id: author,
    author_username: `user_${author}`,
    author_followers: 100,
    lang: 'en',
    text: `tweet ${id}`,
    score,
    weight,
    likes: 0,
    retweets: 0,
    replies: 0,
    quotes: 0,
    retweet_of: '',
    rule_tags: tags,
  };
}

/** t1 counts for BTC and ETH; t2 is written twice; t3 has no rule tag; t9 is before the range. */
export const TWEETS = [
  tweet('BTC', 't1', H0 + 60_000, 'a1', 0.5, 2, ['btc', 'eth']),
  tweet('ETH', 't1', H0 + 60_000, 'a1', 0.5, 2, ['btc', 'eth']),
  tweet('BTC', 't2', H0 + 120_000, 'a2', -0.5, 1, ['btc']),
  tweet('BTC', 't2', H0 + 120_000, 'a2', -0.5, 1, ['btc']),
  tweet('ETH', 't3', H1 + 60_000, 'a1', 1, 1, []),
  tweet('BTC', 't9', BEFORE, 'a9', 1, 9, ['btc']),
];

function bucket(symbol: string, start: number, count: number, mean: number, weighted: number) {
  return {
    symbol,
    bucket_start: s(start),
    count,
    score_sum: mean * count,
    score_mean: mean,
    weight_sum: count,
    weighted_score_sum: weighted * count,
    weighted_mean: weighted,
    positive: count - 1,
    negative: 1,
    neutral: 0,
    distinct_authors: count,
    first_event_ms: start,
    last_event_ms: start + 1_000,
    version: count,
  };
}

/** BTC at H0 is written as a partial bucket (2) and then complete (3): FINAL keeps the complete one. */
export const BUCKETS = [
  bucket('BTC', H0, 2, 0.9, 0.9),
  bucket('BTC', H0, 3, 0.2, 0.3),
  bucket('BTC', H1, 4, -0.1, -0.2),
  bucket('ETH', H0, 5, 0.4, 0.5),
  bucket('BTC', BEFORE, 7, 0.7, 0.7),
];

function signal(id: string, symbol: string, start: number, action: string, size: number) {
  return {
    decision_id: id,
    strategy: 'zscore',
    symbol,
    bucket_start: s(start),
    decided_at: s(start + 3_600_000),
    action,
    size,
    reason: `${action.toLowerCase()} because`,
    inputs_json: JSON.stringify({ z: 1.5 }),
  };
}

export const SIGNALS = [
  signal('d1', 'BTC', H0, 'BUY', 0.5),
  signal('d2', 'ETH', H0, 'HOLD', 0),
  signal('d3', 'BTC', H1, 'SELL', 0.25),
  signal('d0', 'BTC', BEFORE, 'BUY', 1),
];

export const ORDERS = [
  {
    client_order_id: 'd1',
    decision_id: 'd1',
    strategy: 'zscore',
    symbol: 'BTC',
    side: 'buy',
    status: 'filled',
    reason: '',
    detail: '',
    venue: 'paper',
    mode: 'paper',
    exchange_order_id: 'x1',
    requested_amount: 0.01,
    filled_amount: 0.01,
    average_price: 60_000,
    reference_price: 60_000,
    cost: 600,
    fee_cost: 0.6,
    fee_currency: 'USDT',
    decided_at_ms: H1,
    recorded_at_ms: H1,
    event_date: '2024-05-01',
    version: 5,
  },
];

let offset = 0;
function intake(at: number, outcome: string, stage = '', reason = ''): Record<string, unknown> {
  offset += 1;
  return {
    topic: 'tweets.raw',
    partition: 0,
    offset,
    event_hour: s(Math.floor(at / 3_600_000) * 3_600_000),
    tweet_id: `m${offset}`,
    outcome,
    stage,
    reason,
  };
}

/** H0: 5 = 3 + 1 + 1; H1: 4 = 2 + 2 + 0; before the range: 1 stored. The first row is replayed. */
export const INTAKE = [
  intake(H0, 'stored'),
  intake(H0, 'stored'),
  intake(H0, 'stored'),
  intake(H0, 'dropped', 'dedupe', 'duplicate_id'),
  intake(H0, 'rejected', 'normalize', 'invalid_json'),
  intake(H1, 'stored'),
  intake(H1, 'stored'),
  intake(H1, 'dropped', 'filter', 'language'),
  intake(H1, 'dropped', 'filter', 'language'),
  intake(BEFORE, 'stored'),
];
INTAKE.push({ ...INTAKE[0] });

export const TABLE_ROWS: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  tweets: TWEETS,
  sentiment_hourly: BUCKETS,
  signals: SIGNALS,
  orders: ORDERS,
  intake: INTAKE,
};

const close = (n: number): number => Math.round(n * 1e4) / 1e4;
export const EXPECTED = {
  hourlyBtc: [
    { hour: '2024-05-01T10:00:00.000Z', tweets: 3, score_mean: 0.2, weighted_mean: 0.3 },
    { hour: '2024-05-01T11:00:00.000Z', tweets: 4, score_mean: -0.1, weighted_mean: -0.2 },
  ],
  /** Per tag, each tweet once: btc = t1 + t2, eth = t1, (untagged) = t3. */
  rules: [
    { tag: 'btc', tweets: 2, score_mean: 0, weighted_mean: close((0.5 * 2 - 0.5) / 3), authors: 2 },
    { tag: '(untagged)', tweets: 1, score_mean: 1, weighted_mean: 1, authors: 1 },
    { tag: 'eth', tweets: 1, score_mean: 0.5, weighted_mean: 0.5, authors: 1 },
  ],
  authors: [
    { author_id: 'a1', author_username: 'user_a1', tweets: 2, weight_sum: 3, score_mean: 0.75 },
    { author_id: 'a2', author_username: 'user_a2', tweets: 1, weight_sum: 1, score_mean: -0.5 },
  ],
  accounting: [
    { consumed: 5, stored: 3, dropped: 1, rejected: 1 },
    { consumed: 4, stored: 2, dropped: 2, rejected: 0 },
    { consumed: 9, stored: 5, dropped: 3, rejected: 1 },
  ],
  /** BTC 3 + ETH 5 tweets at H0 (BTC's partial bucket of 2 replaced), BTC 4 alone at H1. */
  metrics: [
    {
      hour: H0,
      symbol: 'BTC',
      tweets: 3,
      authors: 3,
      dominance: 3 / 8,
      balance: 1,
      positive: 2,
      negative: 1,
      weighted_mean: 0.3,
    },
    {
      hour: H0,
      symbol: 'ETH',
      tweets: 5,
      authors: 5,
      dominance: 5 / 8,
      balance: 3,
      positive: 4,
      negative: 1,
      weighted_mean: 0.5,
    },
    {
      hour: H1,
      symbol: 'BTC',
      tweets: 4,
      authors: 4,
      dominance: 1,
      balance: 2,
      positive: 3,
      negative: 1,
      weighted_mean: -0.2,
    },
  ],
  drops: [
    { outcome: 'dropped', stage: 'dedupe', reason: 'duplicate_id', messages: 1 },
    { outcome: 'rejected', stage: 'normalize', reason: 'invalid_json', messages: 1 },
    { outcome: 'dropped', stage: 'filter', reason: 'language', messages: 2 },
  ],
};

export const round4 = close;

/**
 * Posts of every source, two and three hours after the range above (so the checks over FROM..TO never
 * see them): per-source hourly, drops and accounting read these over SOURCE_FROM..SOURCE_TO.
 */
export const H3 = H0 + 3 * 3_600_000;
export const H4 = H0 + 4 * 3_600_000;
export const SOURCE_FROM = '2024-05-01T13:00:00Z';
export const SOURCE_TO = '2024-05-01T15:00:00Z';

const sourced = (row: Record<string, unknown>, source: string) => ({ ...row, source });
export const SOURCE_ROWS: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  tweets: [
    sourced(
      tweet('BTC', 'at://did:plc:a/app.bsky.feed.post/1', H3 + 1_000, 'did:plc:a', 0.5, 2, []),
      'bluesky',
    ),
    sourced(
      tweet('ETH', 'at://did:plc:a/app.bsky.feed.post/1', H3 + 1_000, 'did:plc:a', 0.5, 2, []),
      'bluesky',
    ),
    sourced(
      tweet('BTC', 'at://did:plc:b/app.bsky.feed.post/2', H3 + 2_000, 'did:plc:b', -0.5, 1, []),
      'bluesky',
    ),
    sourced(
      tweet('BTC', 'at://did:plc:b/app.bsky.feed.post/3', H4 + 1_000, 'did:plc:b', 0.02, 1, []),
      'bluesky',
    ),
    sourced(tweet('BTC', 'https://m.example/s/1', H3 + 3_000, 'https://m.example/@c', 1, 3, []), 'mastodon'),
    sourced(tweet('BTC', 'x1', H3 + 4_000, 'x9', 0, 1, []), 'x'),
  ],
  intake: [
    sourced(intake(H3, 'stored'), 'bluesky'),
    sourced(intake(H3, 'stored'), 'bluesky'),
    sourced(intake(H3, 'rejected', 'normalize', 'deleted_post'), 'bluesky'),
    sourced(intake(H4, 'stored'), 'bluesky'),
    sourced(intake(H3, 'stored'), 'mastodon'),
    sourced(intake(H3, 'dropped', 'dedupe', 'near_duplicate'), 'mastodon'),
    sourced(intake(H3, 'rejected', 'normalize', 'invalid_json'), ''),
    sourced(intake(H3, 'stored'), 'x'),
  ],
};
