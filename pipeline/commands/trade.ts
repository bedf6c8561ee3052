/**
 * `sentiflow trade`: consumes the signals topic in its own consumer group and executes decisions
 * through the exchange sink (paper unless --live and SENTIFLOW_LIVE=I_UNDERSTAND). Execution records
 * go to the orders topic and ClickHouse `orders`. Stops cleanly on SIGINT/SIGTERM.
 */
import { Command, Option } from 'commander';
import { InputError } from '../../lib/errors.js';
import { createClickHouse } from '../../sinks/clickhouse/client.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { createProducer } from '../../sinks/kafka/producer.js';
import { tradingFlagDefaults } from '../config.js';
import { commandContext } from '../context.js';
import {
  instrumentClickHouse,
  instrumentExchangeSink,
  instrumentProducer,
  startObservability,
} from '../observe/index.js';
import {
  createTrader,
  DEFAULT_TRADING_OPTIONS,
  PAPER_PRICE_SOURCES,
  type TradingOptions,
} from '../trade/create-trader.js';
import { runTrade } from '../trade/run-trade.js';
import { withConfigDefaults } from './config.js';

/** Flags every command that executes decisions shares (trade, process). */
export interface TradingFlags {
  live?: boolean;
  quote: string;
  sandbox?: boolean;
  maxOrderNotional: string;
  maxPositionNotional: string;
  maxDailyLoss: string;
  maxDecisionAgeMinutes: string;
  killSwitchFile?: string;
  paperPrices: (typeof PAPER_PRICE_SOURCES)[number];
  paperBalance: string;
  paperFeeBps: string;
  paperSlippageBps: string;
}

function amount(text: string, flag: string, min = 0): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new InputError(flag, `expects a number >= ${min}, got '${text}'`);
  return n;
}

function quoteCurrency(text: string): string {
  if (!/^[A-Z0-9]{2,10}$/.test(text))
    throw new InputError('--quote', `'${text}' is not a currency code like USDT`);
  return text;
}

export function tradingOptionsFrom(flags: TradingFlags): TradingOptions {
  const d = DEFAULT_TRADING_OPTIONS;
  const age = amount(flags.maxDecisionAgeMinutes, '--max-decision-age-minutes');
  return {
    ...d,
    live: flags.live === true,
    quote: quoteCurrency(flags.quote),
    sandbox: flags.sandbox === true,
    killSwitchFile: flags.killSwitchFile ?? null,
    limits: {
      maxOrderNotional: amount(flags.maxOrderNotional, '--max-order-notional'),
      maxPositionNotional: amount(flags.maxPositionNotional, '--max-position-notional'),
      maxDailyLoss: amount(flags.maxDailyLoss, '--max-daily-loss'),
      maxDecisionAgeMs: age === 0 ? null : age * 60_000,
    },
    paper: {
      ...d.paper,
      prices: flags.paperPrices,
      startingQuote: amount(flags.paperBalance, '--paper-balance'),
      feeBps: amount(flags.paperFeeBps, '--paper-fee-bps'),
      slippageBps: amount(flags.paperSlippageBps, '--paper-slippage-bps'),
    },
  };
}

/** Adds the risk-limit, kill-switch and paper options to a command that executes decisions. */
export function addTradingOptions(command: Command): Command {
  const d = DEFAULT_TRADING_OPTIONS;
  return command
    .option('--live', 'trade real money through ccxt (also needs SENTIFLOW_LIVE=I_UNDERSTAND and API keys)')
    .option('--sandbox', "use the exchange's sandbox/testnet where it has one")
    .option(
      '--max-order-notional <quote>',
      'largest single order, quote units',
      String(d.limits.maxOrderNotional),
    )
    .option(
      '--max-position-notional <quote>',
      'largest position per symbol; size 1 = this much',
      String(d.limits.maxPositionNotional),
    )
    .option(
      '--max-daily-loss <quote>',
      'loss since 00:00 UTC at which buying stops',
      String(d.limits.maxDailyLoss),
    )
    .option(
      '--max-decision-age-minutes <n>',
      'refuse older decisions; 0 = no limit',
      String((d.limits.maxDecisionAgeMs ?? 0) / 60_000),
    )
    .option('--kill-switch-file <path>', 'while this file exists no new order is sent')
    .addOption(
      new Option('--paper-prices <source>', 'paper fill prices')
        .choices(PAPER_PRICE_SOURCES)
        .default(d.paper.prices),
    )
    .option('--quote <currency>', 'quote currency assets are traded against (BTC -> BTC/USDT)', d.quote)
    .option(
      '--paper-balance <quote>',
      'paper starting balance in the quote currency',
      String(d.paper.startingQuote),
    )
    .option('--paper-fee-bps <bps>', 'paper fee per fill', String(d.paper.feeBps))
    .option('--paper-slippage-bps <bps>', 'paper slippage per fill', String(d.paper.slippageBps));
}

export function createTradeCommand(): Command {
  const command = new Command('trade')
    .description(
      'execute decisions from the signals topic: paper by default, live with --live and SENTIFLOW_LIVE=I_UNDERSTAND',
    )
    .option('--group <id>', 'consumer group', 'sentiflow-trade')
    .option('--from-beginning', 'a new group starts at the oldest signal (stale decisions are refused)');
  return addTradingOptions(command).action(
    async (given: TradingFlags & { group: string; fromBeginning?: boolean }, command: Command) => {
      const { config, logger } = commandContext(command);
      // Flags given on the command line override the config file's trading section.
      const flags = withConfigDefaults(command, given, tradingFlagDefaults(config));
      const options = {
        ...tradingOptionsFrom(flags),
        killSwitch: config.trading.killSwitch,
        exchangeTimeoutMs: config.trading.exchangeTimeoutMs,
      };
      const kafka = createKafka({ ...config.kafka, logger });
      const rawClickhouse = createClickHouse(config.clickhouse);
      const observe = await startObservability(config.metrics, {
        logger,
        kafka: { client: kafka, topic: config.topics.signals, groupId: flags.group },
        clickhouse: rawClickhouse,
      });
      const clickhouse = instrumentClickHouse(rawClickhouse, observe);
      const producer = instrumentProducer(
        await createProducer(kafka, { brokers: config.kafka.brokers, logger }).catch(
          async (error: unknown) => {
            await Promise.all([observe.close(), clickhouse.close()]);
            throw error;
          },
        ),
        observe,
      );
      const trader = await createTrader(
        {
          exchange: config.exchange,
          logger,
          producer,
          ordersTopic: config.topics.orders,
          clickhouse: { client: clickhouse, url: config.clickhouse.url },
        },
        options,
      ).catch(async (error: unknown) => {
        await Promise.all([producer.close(), clickhouse.close(), observe.close()]);
        throw error;
      });
      try {
        const run = await runTrade({
          kafka,
          brokers: config.kafka.brokers,
          topic: config.topics.signals,
          sink: instrumentExchangeSink(trader.sink, observe),
          logger,
          groupId: flags.group,
          fromBeginning: flags.fromBeginning === true,
          sessionTimeoutMs: config.kafka.sessionTimeoutMs,
        });
        const stop = (): void => void run.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await run.done;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          logger.info({ stats: run.stats }, 'trade stopped');
        }
      } finally {
        await trader.close();
        await producer.close();
        await clickhouse.close();
        await observe.close();
      }
    },
  );
}
