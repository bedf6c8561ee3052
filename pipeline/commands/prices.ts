/**
 * `sentiflow prices sync|import`: candles into ClickHouse `candles` (run `sentiflow migrate` first).
 * Results go to stdout as one JSON line; progress, bad rows and data defects to stderr.
 */
import { Command, Option } from 'commander';
import { InputError } from '../../lib/errors.js';
import { createClickHouse } from '../../sinks/clickhouse/client.js';
import { loadCcxtAdapters } from '../../sinks/exchange/load-ccxt.js';
import { EXCHANGE_PATTERN, SYMBOL_PATTERN, timeframeMs } from '../../sinks/prices/candle.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import { parseTimestamp } from '../../sinks/prices/csv-candles.js';
import { importCandles } from '../../sinks/prices/import-candles.js';
import { syncCandles } from '../../sinks/prices/sync-candles.js';
import { createSyncProgressBar } from '../../sinks/prices/sync-progress.js';
import { commandContext } from '../context.js';

interface SeriesFlags {
  exchange?: string;
  symbol: string;
  timeframe: string;
}

function seriesKey(flags: SeriesFlags, defaultExchange: string) {
  const exchange = flags.exchange ?? defaultExchange;
  if (!EXCHANGE_PATTERN.test(exchange))
    throw new InputError('--exchange', `'${exchange}' is not an exchange id`);
  if (!SYMBOL_PATTERN.test(flags.symbol))
    throw new InputError('--symbol', `'${flags.symbol}' is not a symbol like BTC/USDT`);
  if (timeframeMs(flags.timeframe) === null)
    throw new InputError('--timeframe', `'${flags.timeframe}' is not a timeframe like 1h`);
  return { exchange, symbol: flags.symbol, timeframe: flags.timeframe };
}

function time(text: string, flag: string): number {
  const ms = parseTimestamp(text);
  if (ms === null)
    throw new InputError(flag, `'${text}' is not a time (ISO like 2024-01-01T00:00:00Z, or epoch s/ms)`);
  return ms;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function createPricesCommand(): Command {
  const prices = new Command('prices').description(
    'price candles in ClickHouse: sync from an exchange or import a CSV file',
  );
  prices
    .command('sync')
    .description(
      'page through the exchange OHLCV history into ClickHouse; resumes from the last stored candle',
    )
    .option('--exchange <id>', 'ccxt exchange id (default EXCHANGE_ID)')
    .requiredOption('--symbol <symbol>', 'unified symbol, e.g. BTC/USDT')
    .option('--timeframe <tf>', 'candle timeframe', '1h')
    .requiredOption(
      '--from <time>',
      'first candle (ISO time or epoch s/ms); a resumed sync starts at the last stored candle',
    )
    .option('--to <time>', 'stop at candles closing by this time (default now)')
    .addOption(new Option('--page-limit <n>', 'candles per request').default('1000'))
    .action(
      async (opts: SeriesFlags & { from: string; to?: string; pageLimit: string }, command: Command) => {
        const { config, logger } = commandContext(command);
        const key = seriesKey(opts, config.exchange.id);
        const from = time(opts.from, '--from');
        const until = opts.to === undefined ? Date.now() : time(opts.to, '--to');
        const pageLimit = Number(opts.pageLimit);
        if (!Number.isInteger(pageLimit) || pageLimit < 1)
          throw new InputError('--page-limit', 'expects a whole number >= 1');
        const { createCcxtClient, createCcxtOhlcvSource } = await loadCcxtAdapters();
        const client = createClickHouse(config.clickhouse);
        const exchange = createCcxtClient({
          exchangeId: key.exchange,
          apiUrl: config.exchange.apiUrl ?? null,
          enableRateLimit: true,
        });
        const bar = createSyncProgressBar(process.stderr);
        try {
          const report = await syncCandles({
            key,
            source: createCcxtOhlcvSource(exchange),
            store: createClickHouseCandleStore(client, { url: config.clickhouse.url, logger }),
            from,
            until,
            pageLimit,
            onProgress: (p) => bar.update(p),
          });
          bar.done();
          const { pages, stored } = report;
          process.stdout.write(
            `${JSON.stringify({ ...key, pages, stored, resumedFrom: iso(report.resumedFrom), start: iso(report.start), last: iso(report.last) })}\n`,
          );
        } finally {
          bar.done();
          await Promise.all([client.close(), exchange.close()]);
        }
      },
    );
  prices
    .command('import')
    .description(
      'import candles from a CSV file (timestamp ms/s/ISO, open, high, low, close, volume; header optional)',
    )
    .argument('<file>', 'CSV file')
    .option('--exchange <id>', 'exchange the candles belong to (default EXCHANGE_ID)')
    .requiredOption('--symbol <symbol>', 'unified symbol, e.g. BTC/USDT')
    .option('--timeframe <tf>', 'candle timeframe', '1h')
    .option(
      '--jump-threshold <fraction>',
      'step from a close to the next open (jump) or close-to-close move (large_move) worth reporting',
      '0.05',
    )
    .action(async (file: string, opts: SeriesFlags & { jumpThreshold: string }, command: Command) => {
      const { config, logger } = commandContext(command);
      const key = seriesKey(opts, config.exchange.id);
      const jumpThreshold = Number(opts.jumpThreshold);
      if (!(jumpThreshold > 0))
        throw new InputError('--jump-threshold', 'expects a positive fraction such as 0.05');
      const client = createClickHouse(config.clickhouse);
      try {
        const store = createClickHouseCandleStore(client, { url: config.clickhouse.url, logger });
        const report = await importCandles({
          file,
          key,
          store,
          jumpThreshold,
          onBadRow: (line) => process.stderr.write(`${line}\n`),
        });
        for (const d of report.defects.examples) process.stderr.write(`${file}: ${d.kind}: ${d.detail}\n`);
        const { rows, imported, badRows, defects } = report;
        process.stdout.write(
          `${JSON.stringify({ ...key, file, rows, imported, badRows, first: iso(report.first), last: iso(report.last), defects: defects.counts, missingCandles: defects.missingCandles })}\n`,
        );
      } finally {
        await client.close();
      }
    });
  return prices;
}
