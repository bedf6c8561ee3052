/** The one zod schema of the config: every section, its defaults, and the checks across sections. */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { createStrategy, createSymbolMatcher, StrategyError } from '../../operators/index.js';
import { DEFAULT_RISK_LIMITS } from '../../sinks/exchange/risk.js';
import { RUNTIME_DEFAULTS } from '../runtime/settings.js';
import { ENGINE_SECTIONS } from './engine-sections.js';
import { boolish, brokerList, httpUrl, nonNegative, port, positiveInt, topicName } from './fields.js';
import { LIVE_SOURCE_SECTIONS } from './live-sources.js';

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
