import { Command } from 'commander';
import { ConfigError } from '../../lib/errors.js';
import { DEFAULT_STRATEGY, STRATEGY_NAMES, STRATEGY_PARAMS } from '../../operators/index.js';
import { createClickHouse } from '../../sinks/clickhouse/client.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { parseParamGrid, parseSymbols, parseTime } from '../backtest/params.js';
import { runBacktest } from '../backtest/run-backtest.js';
import { overfittingWarning, sweepTable } from '../backtest/sweep-table.js';
import { commandContext } from '../context.js';

interface BacktestFlags {
  from: string;
  to: string;
  symbols: string;
  strategy: string;
  param: string[];
  fee: string;
  slippage: string;
  capital: string;
  quote: string;
  exchange?: string;
  out: string;
  workers?: string;
  maxGapHours: string;
  sentimentEma: string;
  record: boolean;
}

function number(text: string, flag: string, { min = 0, integer = false } = {}): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new ConfigError(
      `${flag} expects ${integer ? 'a whole number' : 'a number'} >= ${min}, got "${text}"`,
    );
  }
  return n;
}

function paramsHelp(): string {
  return STRATEGY_NAMES.map(
    (name) =>
      `  ${name}: ${Object.entries(STRATEGY_PARAMS[name])
        .map(([k, spec]) => `${k} (${spec.default})`)
        .join(', ')}`,
  ).join('\n');
}

export function createBacktestCommand(): Command {
  return new Command('backtest')
    .description(
      'replay tweets.raw over a period through the live operators, trade the decisions on paper against stored candles, report',
    )
    .requiredOption('--from <time>', 'start of the period (ISO 8601 with zone, a date, or epoch s/ms)')
    .requiredOption('--to <time>', 'end of the period, exclusive')
    .option('--symbols <list>', 'assets to trade, comma-separated', 'BTC')
    .option('--strategy <name>', `signal strategy: ${STRATEGY_NAMES.join(', ')}`, DEFAULT_STRATEGY)
    .option(
      '--param <key=value>',
      'strategy parameter, repeatable; a list of values (threshold=1.5,2,2.5) sweeps the grid',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--fee <bps>', 'paper fee per fill, basis points', '10')
    .option('--slippage <bps>', 'paper slippage per fill, basis points', '5')
    .option(
      '--capital <amount>',
      'starting balance in the quote currency, split evenly over the symbols',
      '10000',
    )
    .option('--quote <asset>', 'quote currency the assets trade against (candles of BTC/<quote>)', 'USDT')
    .option('--exchange <id>', 'exchange id of the stored candles (default EXCHANGE_ID)')
    .option('--out <dir>', 'directory for summary.json, trades.csv and report.html', 'backtest-report')
    .option('--workers <n>', 'worker threads for a sweep (default 2)')
    .option('--max-gap-hours <n>', 'longest run of missing hourly candles carried forward', '6')
    .option('--sentiment-ema <hours>', 'hours of the sentiment EMA in report.html', '24')
    .option('--no-record', 'do not record the run in ClickHouse backtest_runs/backtest_trades')
    .addHelpText('after', `\nStrategy parameters (default):\n${paramsHelp()}`)
    .action(async (flags: BacktestFlags, command: Command) => {
      const { config, logger } = commandContext(command);
      const from = parseTime(flags.from, '--from');
      const to = parseTime(flags.to, '--to');
      const options = {
        from,
        to,
        symbols: parseSymbols(flags.symbols),
        strategy: flags.strategy,
        grid: parseParamGrid(flags.param),
        feeBps: number(flags.fee, '--fee'),
        slippageBps: number(flags.slippage, '--slippage'),
        capital: number(flags.capital, '--capital', { min: 1 }),
        quote: parseSymbols(flags.quote)[0]!,
        ...(flags.exchange ? { exchange: flags.exchange } : {}),
        out: flags.out,
        record: flags.record,
        ...(flags.workers ? { workers: number(flags.workers, '--workers', { min: 1, integer: true }) } : {}),
        maxGapHours: number(flags.maxGapHours, '--max-gap-hours', { integer: true }),
        emaHours: number(flags.sentimentEma, '--sentiment-ema', { min: 1, integer: true }),
      };
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      const kafka = createKafka({ ...config.kafka, logger });
      const clickhouse = createClickHouse(config.clickhouse);
      try {
        const outcome = await runBacktest(
          { kafka, clickhouse, config, logger, progress: process.stderr, signal: controller.signal },
          options,
        );
        const best = outcome.ranked[0]!;
        if (outcome.ranked.length > 1) {
          process.stdout.write(`${sweepTable(outcome.ranked)}\n`);
          process.stderr.write(`${overfittingWarning(outcome.ranked.length)}\n`);
        }
        process.stdout.write(
          `${JSON.stringify({ runId: best.runId, ...best.summary, codeVersion: outcome.codeVersion, combinations: outcome.ranked.length, reports: outcome.reports })}\n`,
        );
      } finally {
        process.off('SIGINT', stop);
        await clickhouse.close();
      }
    });
}
