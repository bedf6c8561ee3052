/**
 * The one place that reads the environment. `loadConfig()` merges an optional JSON config file with
 * environment variables (env wins), validates everything with one zod schema, and reports every bad
 * key in one line. Factories receive their slice (`config.kafka`, `config.clickhouse`, ...).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ConfigError } from '../lib/errors.js';
import {
  createScoringModel,
  createStrategy,
  createSymbolMatcher,
  DEFAULT_FILTER_OPTIONS,
  DEFAULT_STRATEGY,
  DEFAULT_SYMBOL_MAP,
  DEFAULT_WINDOW_OPTIONS,
  type FilterOptions,
  parseParamList,
  SCORER_MODES,
  type ScoringModel,
  type ScoringOptions,
  STRATEGY_NAMES,
  type Strategy,
  StrategyError,
  type TweetWeightOptions,
  type WindowOptions,
} from '../operators/index.js';
import { DEFAULT_RISK_LIMITS } from '../sinks/exchange/risk.js';
import { RUNTIME_DEFAULTS } from './runtime/settings.js';
import { DEFAULT_SCORER_MODE, scoringOptionsFrom } from './scorer-model.js';
import { LIVE_SOURCE_SECTIONS } from './sources/live-config.js';

/** "host:port,host:port" (env) or ["host:port", ...] (file; what `config check` prints). */
const brokerList = z
  .union([z.string(), z.array(z.string())])
  .transform((s) => (Array.isArray(s) ? s : s.split(',')).map((b) => b.trim()).filter((b) => b.length > 0))
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port[,host:port...]'))
      .min(1, 'expected at least one host:port'),
  );
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const topicName = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'expected a Kafka topic name ([a-zA-Z0-9._-])');
const httpUrl = z.string().refine((u) => {
  try {
    return ['http:', 'https:'].includes(new URL(u).protocol);
  } catch {
    return false;
  }
}, 'expected an http(s) URL');

const nonNegative = z.coerce.number().min(0);
/** true/false from JSON; "1"/"0"/"true"/"false"/"yes"/"no" from the environment. */
const boolish = z.union([
  z.boolean(),
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'expected true or false' })
    .transform((s) => ['1', 'true', 'yes', 'on'].includes(s)),
]);

const term = z.string().regex(/^[$#]?[A-Za-z0-9_]+$/, 'expected one word (letters, digits, _)');
const terms = z.array(term).default([]);
const finite = z.coerce.number().refine(Number.isFinite, 'expected a finite number');

/**
 * What the operator chain does: symbols and their keywords, filters, scorer, window and strategy.
 * `process` and `backtest` take their engine options from these sections (engineOptionsFrom), so a
 * backtest decides exactly what the live pipeline decided with the same file.
 */
const ENGINE_SECTIONS = {
  /** Symbol -> the cashtags, hashtags and plain keywords that make a tweet count for it. */
  symbols: z
    .record(
      z.string().regex(/^[A-Z0-9]{2,10}$/, 'expected a symbol code like BTC'),
      z.object({ cashtags: terms, hashtags: terms, keywords: terms }).strict(),
    )
    .default(
      () =>
        structuredClone(DEFAULT_SYMBOL_MAP) as Record<
          string,
          { cashtags: string[]; hashtags: string[]; keywords: string[] }
        >,
    ),
  filter: z
    .object({
      languages: z
        .array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/, 'expected a BCP 47 code'))
        .default([...DEFAULT_FILTER_OPTIONS.languages]),
      keepUndetermined: boolish.default(DEFAULT_FILTER_OPTIONS.keepUndetermined),
      minAccountAgeDays: nonNegative.default(DEFAULT_FILTER_OPTIONS.minAccountAgeMs / 86_400_000),
      minFollowers: nonNegative.default(DEFAULT_FILTER_OPTIONS.minFollowers),
      maxCashtags: positiveInt.default(DEFAULT_FILTER_OPTIONS.maxCashtags),
      /** Regular expressions (JavaScript syntax) matched against the lower-cased text; replace the defaults. */
      spamPatterns: z
        .array(
          z.string().refine((p) => {
            try {
              new RegExp(p);
              return true;
            } catch {
              return false;
            }
          }, 'expected a valid regular expression'),
        )
        .default(DEFAULT_FILTER_OPTIONS.spamPatterns.map((r) => r.source)),
    })
    .strict()
    .prefault({}),
  scorer: z
    .object({
      /** Crypto lexicon, market emoji and price-move rule on top of the general lexicon. */
      crypto: boolish.default(true),
      /** Extra or overriding words on VADER's [-4, 4] scale; keys with spaces are phrases. */
      lexicon: z.record(z.string().min(1), z.number().min(-4).max(4)).default({}),
      negationScalar: finite.default(-0.74),
      normalizationAlpha: z.coerce.number().positive().default(15),
      /** lexicon, model (the learned model alone) or combined (both; see docs/scorer.md). */
      mode: z.enum(SCORER_MODES).default(DEFAULT_SCORER_MODE),
      /** The learned model's file (npm run train:scorer); the one shipped with sentiflow when absent. */
      modelFile: z.string().min(1).optional(),
      weight: z
        .object({
          maxWeight: z.coerce.number().min(1).default(10),
          unknownFollowers: nonNegative.default(100),
          reachFactor: nonNegative.default(0.5),
          engagementFactor: nonNegative.default(0.75),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .prefault({}),
  window: z
    .object({
      maxOutOfOrdernessMs: nonNegative.default(DEFAULT_WINDOW_OPTIONS.maxOutOfOrdernessMs),
      allowedLatenessMs: nonNegative.default(DEFAULT_WINDOW_OPTIONS.allowedLatenessMs),
      neutralBand: z.coerce.number().min(0).max(1).default(DEFAULT_WINDOW_OPTIONS.neutralBand),
      maxAuthorsPerBucket: positiveInt.default(DEFAULT_WINDOW_OPTIONS.maxAuthorsPerBucket),
    })
    .strict()
    .prefault({}),
  strategy: z
    .object({
      name: z.enum(STRATEGY_NAMES).default(DEFAULT_STRATEGY),
      /** The strategy's parameters (see `sentiflow backtest --help`); missing ones take defaults. */
      params: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
    })
    .strict()
    .prefault({}),
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const ConfigSchema = z
  .object({
    kafka: z
      .object({
        brokers: brokerList.default(['127.0.0.1:9092']),
        clientId: z.string().min(1).default('sentiflow'),
        connectionTimeoutMs: positiveInt.default(3_000),
        requestTimeoutMs: positiveInt.default(30_000),
        /** Total time a client keeps retrying a dead broker before giving up with a clear error. */
        retryDeadlineMs: positiveInt.default(30_000),
        /**
         * Consumer group session: a member that stops heartbeating (killed, frozen) keeps its
         * partitions this long before the group moves them, e.g. to its own restart. The broker
         * accepts 6,000 to 300,000 by default.
         */
        sessionTimeoutMs: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
      })
      .strict()
      .prefault({}),
    topics: z
      .object({
        tweetsRaw: topicName.default('tweets.raw'),
        tweetsDlq: topicName.default('tweets.dlq'),
        /** Repartition topic between `process --stage score` and `--stage window` (keyed by symbol). */
        tweetsScored: topicName.default('tweets.scored'),
        signals: topicName.default('signals'),
        orders: topicName.default('orders'),
        partitions: positiveInt.default(3),
        replicationFactor: positiveInt.default(1),
        /** Kafka retention for the topics; -1 keeps forever (replays need the history). */
        retentionHours: z.coerce.number().int().min(-1).default(-1),
      })
      .strict()
      .prefault({}),
    clickhouse: z
      .object({
        url: httpUrl.default('http://127.0.0.1:8123'),
        user: z.string().min(1).default('default'),
        password: z.string().default(''),
        database: z
          .string()
          .regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/, 'expected a database name ([a-zA-Z_][a-zA-Z0-9_]*)')
          .default('sentiflow'),
        requestTimeoutMs: positiveInt.default(30_000),
        /** Scored tweets older than this are removed (TTL where supported, `sentiflow prune` otherwise). */
        tweetsRetentionDays: positiveInt.default(90),
      })
      .strict()
      .prefault({}),
    log: z
      .object({ level: z.enum(LOG_LEVELS).default('info') })
      .strict()
      .prefault({}),
    x: z
      .object({
        bearerToken: z.string().min(1).optional(),
        apiUrl: httpUrl.default('https://api.x.com'),
      })
      .strict()
      .prefault({}),
    exchange: z
      .object({
        id: z
          .string()
          .regex(/^[a-z0-9_]+$/, 'expected a ccxt exchange id')
          .default('binance'),
        apiKey: z.string().min(1).optional(),
        secret: z.string().min(1).optional(),
        apiUrl: httpUrl.optional(),
        /** Live trading also needs --live on the command line. */
        liveConfirmation: z.string().optional(),
      })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        /** 0 disables the metrics/health server. */
        port: port.default(9464),
        /** /readyz fails when the last successful ClickHouse write or ping is older than this. */
        readyStaleMs: positiveInt.default(30_000),
      })
      .strict()
      .prefault({}),
    process: z
      .object({
        /**
         * Threads that run normalize -> dedupe -> filter -> score for `process` (all stage), besides the
         * thread that consumes, windows and writes; 0 runs everything on one thread. At most one per
         * partition of tweets.raw is used. Default: one per core.
         */
        scoreThreads: z.coerce.number().int().min(0).max(64).default(availableParallelism()),
        /** A module exporting scoreChain and windowChain to run instead of the built-in chain (README). */
        chainModule: z.string().min(1).optional(),
        // The runtime's flush, hold-back and checkpoint settings: meanings and defaults in
        // pipeline/runtime/settings.ts, the one place they are written.
        flushInputs: positiveInt.default(RUNTIME_DEFAULTS.flushInputs),
        flushBytes: positiveInt.default(RUNTIME_DEFAULTS.flushBytes),
        maxHeldBytes: positiveInt.default(RUNTIME_DEFAULTS.maxHeldBytes),
        maxPendingCommits: positiveInt.default(RUNTIME_DEFAULTS.maxPendingCommits),
        flushIntervalMs: positiveInt.default(RUNTIME_DEFAULTS.flushIntervalMs),
        checkpointIntervalMs: positiveInt.default(RUNTIME_DEFAULTS.checkpointIntervalMs),
        checkpointBytesPerSecond: z.coerce
          .number()
          .int()
          .min(1_000)
          .max(1_000_000_000)
          .default(RUNTIME_DEFAULTS.checkpointBytesPerSecond),
        idleWatermarkMs: positiveInt.nullable().default(RUNTIME_DEFAULTS.idleWatermarkMs),
        fetchBytes: positiveInt.default(RUNTIME_DEFAULTS.fetchBytes),
        drainCheckMs: positiveInt.default(RUNTIME_DEFAULTS.drainCheckMs),
      })
      .strict()
      .prefault({}),
    trading: z
      .object({
        /** Engaged from the start: no new order is sent. */
        killSwitch: boolish.default(false),
        /** While this file exists no new order is sent. */
        killSwitchFile: z.string().min(1).optional(),
        quote: z
          .string()
          .regex(/^[A-Z0-9]{2,10}$/, 'expected a currency code like USDT')
          .default('USDT'),
        maxOrderNotional: nonNegative.default(DEFAULT_RISK_LIMITS.maxOrderNotional),
        maxPositionNotional: nonNegative.default(DEFAULT_RISK_LIMITS.maxPositionNotional),
        maxDailyLoss: nonNegative.default(DEFAULT_RISK_LIMITS.maxDailyLoss),
        /** 0 = no limit. */
        maxDecisionAgeMinutes: nonNegative.default((DEFAULT_RISK_LIMITS.maxDecisionAgeMs ?? 0) / 60_000),
        /** Use the exchange's sandbox/testnet where it has one (EXCHANGE_SANDBOX). */
        sandbox: boolish.default(false),
        /** Timeout of one exchange request (EXCHANGE_TIMEOUT_MS). */
        exchangeTimeoutMs: positiveInt.default(10_000),
      })
      .strict()
      .prefault({}),
    ...LIVE_SOURCE_SECTIONS,
    ...ENGINE_SECTIONS,
  })
  .strict()
  .superRefine((config, ctx) => {
    try {
      createStrategy(config.strategy.name, config.strategy.params);
    } catch (error) {
      if (!(error instanceof StrategyError)) throw error;
      ctx.addIssue({ code: 'custom', path: ['strategy', 'params'], message: error.message });
    }
    try {
      createSymbolMatcher(config.symbols);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      ctx.addIssue({ code: 'custom', path: ['symbols'], message: error.message });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

interface EnvKey {
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
    description: 'process: scoring threads besides the main one, 0 = one thread (default: one per core)',
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

export interface LoadConfigOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON config file; defaults to SENTIFLOW_CONFIG from the environment. */
  readonly file?: string;
}

type Tree = Record<string, Record<string, unknown>>;

function readConfigFile(path: string): Tree {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `config file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code})`,
      error,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path}: not valid JSON (${(error as Error).message})`, error);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path}: expected a JSON object with sections such as "kafka"`);
  }
  return parsed as Tree;
}

/** Reads the environment (and the config file) once, validates it, and returns the typed config. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.SENTIFLOW_CONFIG;
  const tree: Tree = file ? structuredClone(readConfigFile(file)) : {};
  const sourceOf = new Map<string, string>();
  for (const key of ENV_KEYS) {
    const value = env[key.name];
    if (value === undefined || value === '') continue;
    const [section, field] = key.path;
    const target = tree[section] ?? {};
    if (typeof target !== 'object' || target === null) continue;
    target[field] = value;
    tree[section] = target;
    sourceOf.set(key.path.join('.'), key.name);
  }
  const result = ConfigSchema.safeParse(tree);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => (path ? `${path}.${k}` : k)) : [];
    const field = issue.path.slice(0, 2).map(String).join('.');
    const envName = sourceOf.get(field);
    const shown =
      envName && !SECRET_PATHS.includes(field) ? `${envName}=${JSON.stringify(env[envName])}` : envName;
    const where = keys.length > 0 ? keys.join(', ') : (shown ?? (file ? `${path} in ${file}` : path));
    const message = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
    return `${where}: ${message}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/** The secret values present in a config (for the logger's scrubbing), empty ones left out. */
export function secretValues(config: Config): string[] {
  const tree = config as unknown as Tree;
  return SECRET_PATHS.map((path) => {
    const [section, field] = path.split('.') as [string, string];
    return tree[section]?.[field];
  }).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** A copy safe to print: every secret replaced by '***' (absent secrets stay absent). */
export function maskSecrets(config: Config): Config {
  const copy = structuredClone(config) as unknown as Tree;
  for (const path of SECRET_PATHS) {
    const [section, field] = path.split('.') as [string, string];
    const target = copy[section];
    if (target && target[field] !== undefined && target[field] !== '') target[field] = '***';
  }
  return copy as unknown as Config;
}

/**
 * The operator chain's options from the config's engine sections (symbols, filter, scorer, window,
 * strategy). `process` uses it; `backtest` should too, so both decide identically for one file.
 * `strategy` overrides come from command-line flags: a name replaces the configured strategy (and its
 * params), params are merged over the configured ones.
 */
export function engineOptionsFrom(
  config: Pick<Config, 'symbols' | 'filter' | 'scorer' | 'window' | 'strategy'>,
  overrides: { readonly strategy?: string; readonly params?: readonly string[] } = {},
): EngineSettings {
  const { filter, scorer, window } = config;
  const name = overrides.strategy ?? config.strategy.name;
  const base = overrides.strategy === undefined ? config.strategy.params : {};
  const params = { ...base, ...parseParamList(overrides.params ?? []) };
  let strategy: Strategy;
  try {
    strategy = createStrategy(name, params);
  } catch (error) {
    if (error instanceof StrategyError) throw new ConfigError(error.message);
    throw error;
  }
  const scoring = scoringOptionsFrom(scorer);
  return {
    scoring: createScoringModel(scoring),
    scoringOptions: scoring,
    strategy,
    filter: {
      symbols: config.symbols,
      languages: filter.languages,
      keepUndetermined: filter.keepUndetermined,
      minAccountAgeMs: filter.minAccountAgeDays * 86_400_000,
      minFollowers: filter.minFollowers,
      maxCashtags: filter.maxCashtags,
      spamPatterns: filter.spamPatterns.map((p) => new RegExp(p)),
    },
    window: { ...window },
    weight: scorer.weight,
  };
}

export interface EngineSettings {
  readonly scoring: ScoringModel;
  /** What `scoring` was built from (plain data): a thread that scores builds its own model from it. */
  readonly scoringOptions: ScoringOptions;
  readonly strategy: Strategy;
  readonly filter: FilterOptions;
  readonly window: WindowOptions;
  /** Scorer weight options; the engine passes them to scoreTweet. */
  readonly weight: TweetWeightOptions;
}

/**
 * Trading flag values taken from config when the flag was not given on the command line (flags
 * override config). Keys are commander's option names for addTradingOptions.
 */
export function tradingFlagDefaults(
  config: Pick<Config, 'trading' | 'exchange'>,
): Record<string, string | boolean> {
  const t = config.trading;
  return {
    quote: t.quote,
    sandbox: t.sandbox,
    maxOrderNotional: String(t.maxOrderNotional),
    maxPositionNotional: String(t.maxPositionNotional),
    maxDailyLoss: String(t.maxDailyLoss),
    maxDecisionAgeMinutes: String(t.maxDecisionAgeMinutes),
    ...(t.killSwitchFile === undefined ? {} : { killSwitchFile: t.killSwitchFile }),
  };
}
