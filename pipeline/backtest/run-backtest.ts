/**
 * `sentiflow backtest`: candles checked first (a missing stretch fails before a long replay), then
 * tweets.raw [from, to) replayed once through the live engine into buckets, then every parameter set
 * decided, filled on paper and measured (in worker threads for a grid), ranked, reported and
 * recorded in ClickHouse.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ConfigError } from '../../lib/errors.js';
import { createStrategy, StrategyError, type SymbolCode } from '../../operators/index.js';
import { recordBacktest } from '../../sinks/reports/backtest-record.js';
import type { BacktestResult } from '../../sinks/reports/types.js';
import { type WrittenReports, writeReports } from '../../sinks/reports/write-reports.js';
import type { Config } from '../config.js';
import { chainModuleUrl } from '../runtime/chain-module.js';
import { planReplay } from '../runtime/drivers/kafka-replay.js';
import { type ReplayedBuckets, replayBuckets } from '../runtime/modes/replay.js';
import { scorerIdentity, scoringOptionsFrom } from '../scorer-model.js';
import { codeVersion } from './code-version.js';
import { decideOver, type RunSettings } from './evaluate.js';
import { loadPriceSeries } from './load-candles.js';
import { expandGrid, type ParamGrid } from './params.js';
import type { ProgressOutput } from './progress.js';
import { createReplayProgress } from './progress.js';
import { runSweep } from './sweep.js';

export interface BacktestOptions {
  readonly from: number;
  readonly to: number;
  readonly symbols: readonly SymbolCode[];
  readonly strategy: string;
  readonly grid: ParamGrid;
  readonly capital?: number;
  readonly feeBps?: number;
  readonly slippageBps?: number;
  readonly quote?: string;
  /** Exchange id of the candle series (default: the configured exchange). */
  readonly exchange?: string;
  /** Directory for summary.json, trades.csv, report.html (of the best run); null writes none. */
  readonly out?: string | null;
  /** Hours of the sentiment EMA report.html draws (default 24). */
  readonly emaHours?: number;
  readonly record?: boolean;
  readonly workers?: number;
  readonly maxGapHours?: number;
  /** Kafka fetch size per partition, bytes (default 1 MiB). */
  readonly fetchBytesPerPartition?: number;
  /**
   * Score in worker threads (config.process.scoreThreads of them) while this one fetches and windows
   * (default true); false runs the engine here.
   */
  readonly replayThread?: boolean;
}

export interface BacktestDeps {
  readonly kafka: Kafka;
  readonly clickhouse: ClickHouseClient;
  readonly config: Pick<
    Config,
    | 'kafka'
    | 'topics'
    | 'clickhouse'
    | 'exchange'
    | 'symbols'
    | 'filter'
    | 'scorer'
    | 'window'
    | 'strategy'
    | 'process'
  >;
  readonly logger: Logger;
  readonly progress?: ProgressOutput | null;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

export interface BacktestOutcome {
  /** Runs ranked best first (Sharpe, then total return). */
  readonly ranked: readonly BacktestResult[];
  readonly replay: Omit<ReplayedBuckets, 'buckets' | 'decisions'>;
  /** The engine's decisions for the first parameter set (what `process` decides), requested symbols only. */
  readonly decisions: ReplayedBuckets['decisions'];
  readonly reports: WrittenReports | null;
  readonly codeVersion: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function strategyFor(name: string, params: Readonly<Record<string, string>>) {
  try {
    return createStrategy(name, params);
  } catch (error) {
    if (error instanceof StrategyError) throw new ConfigError(error.message);
    throw error;
  }
}

export function rankResults(results: readonly BacktestResult[]): BacktestResult[] {
  const key = (r: BacktestResult): number => r.summary.sharpe ?? Number.NEGATIVE_INFINITY;
  return [...results].sort(
    (a, b) =>
      key(b) - key(a) || b.summary.totalReturn - a.summary.totalReturn || a.runId.localeCompare(b.runId),
  );
}

export async function runBacktest(deps: BacktestDeps, options: BacktestOptions): Promise<BacktestOutcome> {
  const { kafka, clickhouse, config, logger } = deps;
  const log = logger.child({ module: 'backtest' });
  const { from, to, symbols } = options;
  if (!(from < to)) throw new ConfigError(`--from ${iso(from)} must be before --to ${iso(to)}`);
  const quote = options.quote ?? 'USDT';
  const exchange = options.exchange ?? config.exchange.id;
  const topic = config.topics.tweetsRaw;
  const version = codeVersion();
  // The scorer is part of what a run is: another scorer or model version is another run.
  const { scorer, scorerModel } = scorerIdentity(scoringOptionsFrom(config.scorer));
  const combos = expandGrid(options.grid);
  const strategies = combos.map((params) => strategyFor(options.strategy, params));
  const maxGapHours = options.maxGapHours ?? 6;

  const plan = await planReplay(kafka, { topic, brokers: config.kafka.brokers, from, to });
  if (plan.total === 0) {
    throw new ConfigError(`no tweets in ${topic} between ${iso(from)} and ${iso(to)}: nothing to replay`);
  }
  const prices = await loadPriceSeries(clickhouse, {
    url: config.clickhouse.url,
    exchange,
    quote,
    symbols,
    from,
    to,
    maxGapHours,
  });

  const progress = createReplayProgress(deps.progress ?? { isTTY: false, write: () => true });
  const scoreThreads = options.replayThread === false ? 0 : config.process.scoreThreads;
  log.info({ topic, from: iso(from), to: iso(to), combinations: combos.length, scoreThreads }, 'replaying');
  const replay = await replayBuckets(kafka, {
    topic,
    brokers: config.kafka.brokers,
    from,
    to,
    // The engine sections of the config, as `process` takes them: same file, same decisions.
    config,
    strategy: strategies[0]!,
    plan,
    // As many score threads as `process` has (PROCESS_SCORE_THREADS; 0 scores on this thread).
    scoreThreads,
    ...(options.fetchBytesPerPartition ? { maxBytesPerPartition: options.fetchBytesPerPartition } : {}),
    onProgress: (p) => progress.update(p),
    // The chain `process` runs: a module of the user's own when the config names one.
    ...(config.process.chainModule ? { chainModule: chainModuleUrl(config.process.chainModule) } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  progress.done();
  const { buckets, decisions: engineDecisions, ...counts } = replay;
  const wanted = new Set(symbols);
  const decisions = engineDecisions.filter((d) => wanted.has(d.symbol));

  const settings: RunSettings[] = combos.map((params) => ({
    from,
    to,
    symbols,
    strategy: options.strategy,
    params,
    capital: options.capital ?? 10_000,
    feeBps: options.feeBps ?? 10,
    slippageBps: options.slippageBps ?? 5,
    quote,
    identity: { topic, exchange, codeVersion: version, scorer, scorerModel },
  }));
  // The shared-bucket path must decide exactly what the engine decided; anything else is a bug.
  const first = decideOver(buckets, settings[0]!);
  const same =
    first.length === decisions.length &&
    first.every(
      (d, i) =>
        d.id === decisions[i]!.id && d.action === decisions[i]!.action && d.size === decisions[i]!.size,
    );
  if (!same) throw new Error('backtest: decisions over shared buckets differ from the engine decisions');

  const candles = Object.fromEntries(
    [...prices].map(([symbol, series]) => [symbol, { market: series.market, candles: series.candles }]),
  );
  const results = await runSweep(
    { buckets, candles, maxGapHours, counts },
    settings,
    options.workers ?? (settings.length > 1 ? 2 : 1),
  );
  const ranked = rankResults(results);
  const best = ranked[0]!;
  const reports = options.out
    ? await writeReports(options.out, best, options.emaHours ? { emaHours: options.emaHours } : {})
    : null;
  if (options.record !== false) {
    const recordedAt = (deps.now ?? Date.now)();
    for (const result of results) {
      await recordBacktest(clickhouse, result, {
        url: config.clickhouse.url,
        codeVersion: version,
        topic,
        exchange,
        scorer,
        scorerModel,
        recordedAt,
        logger: log,
      });
    }
  }
  log.info({ runs: results.length, best: best.runId, out: options.out ?? null }, 'backtest finished');
  return { ranked, replay: counts, decisions, reports, codeVersion: version };
}
