/**
 * The one place that reads the environment. `loadConfig()` merges an optional JSON config file with
 * environment variables (env wins), validates everything with one zod schema, and reports every bad
 * key in one line. Factories receive their slice (`config.kafka`, `config.clickhouse`, ...).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../sinks/errors.js';

const brokerList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
  )
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
      })
      .strict()
      .prefault({}),
    topics: z
      .object({
        tweetsRaw: topicName.default('tweets.raw'),
        tweetsDlq: topicName.default('tweets.dlq'),
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
        port: port.default(9464),
      })
      .strict()
      .prefault({}),
  })
  .strict();

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
  { name: 'TOPIC_TWEETS_RAW', path: ['topics', 'tweetsRaw'], description: 'raw tweets topic' },
  { name: 'TOPIC_TWEETS_DLQ', path: ['topics', 'tweetsDlq'], description: 'dead-letter topic' },
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
  { name: 'EXCHANGE_ID', path: ['exchange', 'id'], description: 'ccxt exchange id' },
  { name: 'EXCHANGE_API_KEY', path: ['exchange', 'apiKey'], secret: true, description: 'exchange API key' },
  { name: 'EXCHANGE_SECRET', path: ['exchange', 'secret'], secret: true, description: 'exchange API secret' },
  { name: 'EXCHANGE_API_URL', path: ['exchange', 'apiUrl'], description: 'exchange REST base URL override' },
  {
    name: 'SENTIFLOW_LIVE',
    path: ['exchange', 'liveConfirmation'],
    description: 'must be I_UNDERSTAND (with --live) to trade real money',
  },
  { name: 'METRICS_HOST', path: ['metrics', 'host'], description: 'metrics/health HTTP bind address' },
  { name: 'METRICS_PORT', path: ['metrics', 'port'], description: 'metrics/health HTTP port' },
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
