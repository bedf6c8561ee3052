import { SCORER_MODES } from '../../operators/index.js';
import { DEFAULT_SCORER_MODE } from '../scorer-model.js';
import { type Config, LOG_LEVELS } from './schema.js';

export interface EnvKey {
  readonly name: string;
  readonly path: readonly [keyof Config, string];
  readonly secret?: true;
  readonly description: string;
}

/** Every environment variable sentiflow reads; README's configuration table mirrors this list. */
export const ENV_KEYS: readonly EnvKey[] = [
  {
    name: 'KAFKA_BROKERS',
    path: ['kafka', 'brokers'],
    description: 'Kafka bootstrap servers, host:port[,host:port]',
  },
  { name: 'KAFKA_CLIENT_ID', path: ['kafka', 'clientId'], description: 'Kafka client id' },
  {
    name: 'KAFKA_CONNECTION_TIMEOUT_MS',
    path: ['kafka', 'connectionTimeoutMs'],
    description: 'TCP connect timeout',
  },
  {
    name: 'KAFKA_REQUEST_TIMEOUT_MS',
    path: ['kafka', 'requestTimeoutMs'],
    description: 'Kafka request timeout',
  },
  {
    name: 'KAFKA_RETRY_DEADLINE_MS',
    path: ['kafka', 'retryDeadlineMs'],
    description: 'how long to keep retrying an unreachable broker before failing',
  },
  {
    name: 'KAFKA_SESSION_TIMEOUT_MS',
    path: ['kafka', 'sessionTimeoutMs'],
    description: "how long a killed consumer's partitions wait before the group hands them on",
  },
  { name: 'TOPIC_TWEETS_RAW', path: ['topics', 'tweetsRaw'], description: 'raw tweets topic' },
  { name: 'TOPIC_TWEETS_DLQ', path: ['topics', 'tweetsDlq'], description: 'dead-letter topic' },
  {
    name: 'TOPIC_TWEETS_SCORED',
    path: ['topics', 'tweetsScored'],
    description: 'scored tweets keyed by symbol, between the split process stages',
  },
  { name: 'TOPIC_SIGNALS', path: ['topics', 'signals'], description: 'decisions topic' },
  { name: 'TOPIC_ORDERS', path: ['topics', 'orders'], description: 'execution records topic' },
  { name: 'TOPIC_PARTITIONS', path: ['topics', 'partitions'], description: 'partitions for created topics' },
  {
    name: 'TOPIC_REPLICATION_FACTOR',
    path: ['topics', 'replicationFactor'],
    description: 'replication factor',
  },
  {
    name: 'TOPIC_RETENTION_HOURS',
    path: ['topics', 'retentionHours'],
    description: 'topic retention, -1 = forever',
  },
  { name: 'CLICKHOUSE_URL', path: ['clickhouse', 'url'], description: 'ClickHouse HTTP endpoint' },
  { name: 'CLICKHOUSE_USER', path: ['clickhouse', 'user'], description: 'ClickHouse user' },
  {
    name: 'CLICKHOUSE_PASSWORD',
    path: ['clickhouse', 'password'],
    secret: true,
    description: 'ClickHouse password',
  },
  { name: 'CLICKHOUSE_DATABASE', path: ['clickhouse', 'database'], description: 'ClickHouse database' },
  {
    name: 'CLICKHOUSE_REQUEST_TIMEOUT_MS',
    path: ['clickhouse', 'requestTimeoutMs'],
    description: 'ClickHouse request timeout',
  },
  {
    name: 'TWEETS_RETENTION_DAYS',
    path: ['clickhouse', 'tweetsRetentionDays'],
    description: 'days scored tweets are kept in ClickHouse',
  },
  { name: 'LOG_LEVEL', path: ['log', 'level'], description: `log level: ${LOG_LEVELS.join(', ')}` },
  {
    name: 'X_BEARER_TOKEN',
    path: ['x', 'bearerToken'],
    secret: true,
    description: 'X API v2 app bearer token',
  },
  { name: 'X_API_URL', path: ['x', 'apiUrl'], description: 'X API base URL (point at a test double)' },
  {
    name: 'BLUESKY_JETSTREAM_HOSTS',
    path: ['bluesky', 'hosts'],
    description: 'Jetstream hosts (or ws:// URLs), comma-separated, tried in turn',
  },
  {
    name: 'BLUESKY_RULES_FILE',
    path: ['bluesky', 'rulesFile'],
    description: 'rules file matched against Bluesky posts (default: built-in crypto rules)',
  },
  {
    name: 'BLUESKY_CURSOR_MARGIN_MS',
    path: ['bluesky', 'cursorMarginMs'],
    description: 'Jetstream: a restart resumes this long before the stored cursor',
  },
  {
    name: 'BLUESKY_STALL_TIMEOUT_MS',
    path: ['bluesky', 'stallTimeoutMs'],
    description: 'Jetstream: reconnect after this long without a message',
  },
  { name: 'MASTODON_TOKEN', path: ['mastodon', 'token'], secret: true, description: 'Mastodon access token' },
  {
    name: 'MASTODON_TAGS',
    path: ['mastodon', 'tags'],
    description: 'hashtags to stream, comma-separated (default: from the rules)',
  },
  { name: 'MASTODON_STREAM', path: ['mastodon', 'stream'], description: 'Mastodon: hashtag or local' },
  {
    name: 'MASTODON_RULES_FILE',
    path: ['mastodon', 'rulesFile'],
    description: 'rules file for Mastodon (hashtags to stream; matching on the local timeline)',
  },
  { name: 'EXCHANGE_ID', path: ['exchange', 'id'], description: 'ccxt exchange id' },
  { name: 'EXCHANGE_API_KEY', path: ['exchange', 'apiKey'], secret: true, description: 'exchange API key' },
  { name: 'EXCHANGE_SECRET', path: ['exchange', 'secret'], secret: true, description: 'exchange API secret' },
  { name: 'EXCHANGE_API_URL', path: ['exchange', 'apiUrl'], description: 'exchange REST base URL override' },
  {
    name: 'SENTIFLOW_LIVE',
    path: ['exchange', 'liveConfirmation'],
    description: 'must be I_UNDERSTAND (with --live) to trade real money',
  },
  {
    name: 'EXCHANGE_SANDBOX',
    path: ['trading', 'sandbox'],
    description: "true: use the exchange's sandbox/testnet (live mode)",
  },
  {
    name: 'EXCHANGE_TIMEOUT_MS',
    path: ['trading', 'exchangeTimeoutMs'],
    description: 'timeout of one exchange request',
  },
  {
    name: 'TRADING_KILL_SWITCH',
    path: ['trading', 'killSwitch'],
    description: 'true: no new order is sent',
  },
  {
    name: 'TRADING_KILL_SWITCH_FILE',
    path: ['trading', 'killSwitchFile'],
    description: 'while this file exists no new order is sent',
  },
  { name: 'TRADING_QUOTE', path: ['trading', 'quote'], description: 'quote currency (BTC -> BTC/USDT)' },
  {
    name: 'TRADING_MAX_ORDER_NOTIONAL',
    path: ['trading', 'maxOrderNotional'],
    description: 'largest single order, quote units',
  },
  {
    name: 'TRADING_MAX_POSITION_NOTIONAL',
    path: ['trading', 'maxPositionNotional'],
    description: 'largest position per symbol, quote units',
  },
  {
    name: 'TRADING_MAX_DAILY_LOSS',
    path: ['trading', 'maxDailyLoss'],
    description: 'loss since 00:00 UTC at which buying stops',
  },
  {
    name: 'SCORER_MODE',
    path: ['scorer', 'mode'],
    description: `sentiment scorer: ${SCORER_MODES.join(', ')} (default ${DEFAULT_SCORER_MODE})`,
  },
  {
    name: 'SCORER_MODEL_FILE',
    path: ['scorer', 'modelFile'],
    description: "the learned scorer's model file (default: the one shipped with sentiflow)",
  },
  {
    name: 'STRATEGY',
    path: ['strategy', 'name'],
    description: 'signal strategy: zscore, threshold or surge',
  },
  {
    name: 'PROCESS_SCORE_THREADS',
    path: ['process', 'scoreThreads'],
    description:
      'process and backtest: scoring threads besides the main one, 0 = one thread (default: one per core)',
  },
  {
    name: 'SENTIFLOW_CHAIN_MODULE',
    path: ['process', 'chainModule'],
    description: 'process and backtest: a module of your own exporting scoreChain and windowChain',
  },
  {
    name: 'PROCESS_CHECKPOINT_BYTES_PER_S',
    path: ['process', 'checkpointBytesPerSecond'],
    description:
      'process: checkpoint bytes written per second at most, which spaces checkpoints out as state grows',
  },
  { name: 'METRICS_HOST', path: ['metrics', 'host'], description: 'metrics/health HTTP bind address' },
  { name: 'METRICS_PORT', path: ['metrics', 'port'], description: 'metrics/health HTTP port, 0 = off' },
  {
    name: 'METRICS_READY_STALE_MS',
    path: ['metrics', 'readyStaleMs'],
    description: '/readyz fails when ClickHouse was last reached longer ago',
  },
];

/** Config paths whose values are secrets: masked when printed, redacted from logs. */
export const SECRET_PATHS: readonly string[] = ENV_KEYS.filter((k) => k.secret).map((k) => k.path.join('.'));
