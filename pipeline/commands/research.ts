/**
 * `sentiflow research`: does sentiment lead price? Over the hourly buckets in ClickHouse and the stored
 * candles (no Kafka replay), the IC of each signal at each horizon with bootstrap intervals, the
 * lead-lag curve and quintile returns (pipeline/research). A table on a terminal, the report as JSON
 * otherwise (or as --format says); with --out, research.json and research.html in that directory.
 */
import { Command, Option } from 'commander';
import { ConfigError } from '../../lib/errors.js';
import type { ClickHouseOptions } from '../../sinks/clickhouse/client.js';
import { createClickHouse } from '../../sinks/clickhouse/client.js';
import { EXCHANGE_PATTERN } from '../../sinks/prices/candle.js';
import type { ResearchSettings } from '../../sinks/reports/research-types.js';
import { writeResearchReports } from '../../sinks/reports/write-reports.js';
import { commandContext } from '../context.js';
import { KNOWN_SYMBOLS, parseDurationMs, parseRange, parseSymbols } from '../query/params.js';
import { clickHouseSelect } from '../query/select.js';
import { analyze, DEFAULT_RESEARCH_SETTINGS } from '../research/analyze.js';
import { formatResearch } from '../research/format-research.js';
import { HOUR_MS } from '../research/hourly-frame.js';
import { loadResearchInput } from '../research/load-research.js';

export interface ResearchFlags {
  readonly from: string;
  readonly to?: string;
  readonly symbols?: string;
  readonly horizons: string;
  readonly lookback: string;
  readonly maxLag: string;
  readonly resamples: string;
  readonly seed: string;
  readonly exchange?: string;
  readonly quote: string;
  readonly out?: string;
  readonly format?: string;
}

export interface ResearchCommandOptions {
  readonly clickhouse?: ClickHouseOptions;
  readonly exchange?: string;
  readonly stdout?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr?: NodeJS.WritableStream;
  readonly now?: () => number;
}

/** Whole hours from 1 h to `max`, e.g. 24h or 2d. */
function hours(text: string, flag: string, max: number): number {
  const ms = parseDurationMs(text);
  const n = ms === null ? Number.NaN : ms / HOUR_MS;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ConfigError(
      `${flag}: ${JSON.stringify(text)} is not a whole number of hours from 1h to ${max}h`,
    );
  }
  return n;
}

function whole(text: string, flag: string, min: number, max: number): number {
  const n = /^\d{1,9}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new ConfigError(`${flag}: ${JSON.stringify(text)} is not a whole number from ${min} to ${max}`);
  return n;
}

export interface ResearchPlan {
  readonly fromMs: number;
  readonly toMs: number;
  readonly symbols: string[];
  readonly settings: ResearchSettings;
  readonly exchange: string;
  readonly quote: string;
  readonly format: 'table' | 'json';
}

/** Validates every flag before anything touches ClickHouse. */
export function planResearch(
  flags: ResearchFlags,
  { now, isTTY, exchange }: { now: number; isTTY: boolean; exchange: string },
): ResearchPlan {
  const { fromMs, toMs } = parseRange(flags, now);
  const horizons = [...new Set(flags.horizons.split(',').map((h) => hours(h, '--horizons', 24 * 30)))].sort(
    (a, b) => a - b,
  );
  const format = flags.format ?? (isTTY ? 'table' : 'json');
  if (format !== 'table' && format !== 'json') {
    throw new ConfigError(`--format: ${JSON.stringify(format)} is not one of table, json`);
  }
  const venue = flags.exchange ?? exchange;
  if (!EXCHANGE_PATTERN.test(venue))
    throw new ConfigError(`--exchange: ${JSON.stringify(venue)} is not an exchange id`);
  if (!/^[A-Z0-9]{2,10}$/.test(flags.quote))
    throw new ConfigError(`--quote: ${JSON.stringify(flags.quote)} is not an asset like USDT`);
  return {
    fromMs,
    toMs,
    symbols: flags.symbols === undefined ? [] : parseSymbols({ symbols: flags.symbols }),
    settings: {
      ...DEFAULT_RESEARCH_SETTINGS,
      horizons,
      lookbackHours: hours(flags.lookback, '--lookback', 24 * 90),
      maxLagHours: hours(flags.maxLag, '--max-lag', 24 * 14),
      resamples: whole(flags.resamples, '--resamples', 100, 100_000),
      seed: whole(flags.seed, '--seed', 0, 2 ** 31 - 1),
    },
    exchange: venue,
    quote: flags.quote,
    format,
  };
}

export function createResearchCommand(options: ResearchCommandOptions = {}): Command {
  return new Command('research')
    .description(
      'does sentiment lead price? IC per signal and horizon with bootstrap intervals, lead-lag, quintiles',
    )
    .requiredOption(
      '--from <time>',
      'start, inclusive: ISO 8601 (UTC unless zoned), epoch s/ms, or a duration before --to like 90d',
    )
    .option('--to <time>', 'end, exclusive (default now)')
    .option(
      '--symbols <list>',
      `comma-separated, e.g. BTC,ETH (default: every symbol with tweets and candles; known: ${KNOWN_SYMBOLS.join(', ')})`,
    )
    .option('--horizons <list>', 'forward-return horizons', '1h,4h,24h')
    .option('--lookback <hours>', 'trailing window of the z-score signals', '24h')
    .option('--max-lag <hours>', 'lead-lag scan from -max-lag to +max-lag', '48h')
    .option(
      '--resamples <n>',
      'block-bootstrap resamples per interval',
      String(DEFAULT_RESEARCH_SETTINGS.resamples),
    )
    .option('--seed <n>', 'seed of the bootstrap (same seed, same intervals)', '1')
    .option('--exchange <id>', 'exchange id of the stored candles (default EXCHANGE_ID)')
    .option('--quote <asset>', 'quote currency of the candles (BTC -> BTC/<quote>)', 'USDT')
    .option('--out <dir>', 'write research.json and research.html there')
    .addOption(new Option('--format <format>', 'table | json (default: table on a terminal, json otherwise)'))
    .action(async (flags: ResearchFlags, command: Command) => {
      const stdout = options.stdout ?? process.stdout;
      const stderr = options.stderr ?? process.stderr;
      const config = options.clickhouse ? null : commandContext(command).config;
      const plan = planResearch(flags, {
        now: (options.now ?? Date.now)(),
        isTTY: stdout.isTTY === true,
        exchange: options.exchange ?? config?.exchange.id ?? 'binance',
      });
      const connection = options.clickhouse ?? config!.clickhouse;
      const client = createClickHouse(connection);
      try {
        const select = clickHouseSelect(client, { url: connection.url, doing: 'research' });
        const { inputs, skipped } = await loadResearchInput(client, select, {
          ...plan,
          url: connection.url,
          knownSymbols: KNOWN_SYMBOLS,
        });
        for (const line of skipped) stderr.write(`research: left out ${line}\n`);
        if (inputs.length === 0) {
          throw new ConfigError(
            'research: no symbol has tweets and candles in the period; nothing to analyse',
          );
        }
        const report = analyze(plan.fromMs, plan.toMs, inputs, plan.settings);
        stdout.write(plan.format === 'table' ? formatResearch(report) : `${JSON.stringify(report)}\n`);
        if (flags.out !== undefined) {
          const written = await writeResearchReports(flags.out, report);
          stderr.write(`research: wrote ${written.json} and ${written.html}\n`);
        }
      } finally {
        await client.close();
      }
    });
}
