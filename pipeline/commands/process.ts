import { Command } from 'commander';
import { ConfigError } from '../../lib/errors.js';
import { DEFAULT_STRATEGY } from '../../operators/index.js';
import { createClickHouse } from '../../sinks/clickhouse/client.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { createProducer } from '../../sinks/kafka/producer.js';
import { engineOptionsFrom, tradingFlagDefaults } from '../config.js';
import { commandContext } from '../context.js';
import {
  createFlushObserver,
  instrumentClickHouse,
  instrumentExchangeSink,
  instrumentProducer,
  startObservability,
} from '../observe/index.js';
import { chainModuleUrl } from '../runtime/chain-module.js';
import { runProcess } from '../runtime/modes/process.js';
import { runScoreStage, runWindowStage } from '../runtime/modes/split.js';
import { createTrader } from '../trade/create-trader.js';
import { createDecisionExecutor } from '../trade/execute-decisions.js';
import { withConfigDefaults } from './config.js';
import { addTradingOptions, type TradingFlags, tradingOptionsFrom } from './trade.js';

export const PROCESS_STAGES = ['all', 'score', 'window'] as const;
export type ProcessStage = (typeof PROCESS_STAGES)[number];

interface ProcessFlags extends TradingFlags {
  stage: string;
  trade: boolean;
  group: string;
  strategy: string;
  param: string[];
  exitWhenIdle?: boolean;
  checkpointInterval?: string;
  flushInterval?: string;
  idleWatermark?: string;
}

function millis(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new ConfigError(`${flag} expects milliseconds > 0, got "${text}"`);
  return n;
}

function stageOf(text: string): ProcessStage {
  const stage = PROCESS_STAGES.find((s) => s === text);
  if (stage === undefined)
    throw new ConfigError(`--stage expects one of ${PROCESS_STAGES.join(', ')}, got "${text}"`);
  return stage;
}

/** The consumer group (and checkpoint name) of a stage: the split stages get their own groups. */
export function groupOf(stage: ProcessStage, group: string): string {
  return stage === 'all' ? group : `${group}-${stage}`;
}

export function createProcessCommand(): Command {
  const command = new Command('process')
    .description(
      'consume tweets.raw, run normalize -> dedupe -> filter -> score -> window -> signal, write ClickHouse and Kafka',
    )
    .option(
      '--stage <stage>',
      'all: the whole chain in one group; score: tweets.raw -> tweets.scored (scales by tweets.raw partitions); window: tweets.scored -> buckets and decisions (scales by symbol)',
      'all',
    )
    .option(
      '--group <id>',
      'Kafka consumer group (and checkpoint name); the split stages use <id>-score and <id>-window',
      'sentiflow-process',
    )
    .option(
      '--strategy <name>',
      'signal strategy: zscore or threshold (default: config strategy.name)',
      DEFAULT_STRATEGY,
    )
    .option(
      '--param <key=value>',
      'strategy parameter, repeatable',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--exit-when-idle', 'stop once the topic is drained and everything is flushed and committed')
    .option(
      '--checkpoint-interval <ms>',
      'least time between checkpoints (offset commits) (default: config process.checkpointIntervalMs)',
    )
    .option(
      '--flush-interval <ms>',
      'longest time results wait before they are written (default: config process.flushIntervalMs)',
    )
    .option(
      '--idle-watermark <ms>',
      'live only (--stage all or score): after this long without input, close buckets by wall-clock time (default: config process.idleWatermarkMs, off)',
    )
    .option(
      '--no-trade',
      'only publish decisions (run `sentiflow trade` as its own process to execute them)',
    );
  return addTradingOptions(command).action(async (given: ProcessFlags, command: Command) => {
    const { config, logger } = commandContext(command);
    const stage = stageOf(given.stage);
    if (stage === 'window' && given.idleWatermark !== undefined) {
      // The window stage learns time only from tweets.scored: give --idle-watermark to the score stage.
      throw new ConfigError('--idle-watermark belongs to --stage score (or all): it sends the marks');
    }
    // Flags given on the command line override the config file (engine sections, trading limits).
    const flags = withConfigDefaults(command, given, tradingFlagDefaults(config));
    const engine = engineOptionsFrom(config, {
      ...(command.getOptionValueSource('strategy') === 'cli' ? { strategy: flags.strategy } : {}),
      params: flags.param,
    });
    const controller = new AbortController();
    const stop = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'stopping: finishing the batch, flushing, committing');
      controller.abort();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const kafka = createKafka({ ...config.kafka, logger });
    const rawClickhouse = createClickHouse(config.clickhouse);
    const observe = await startObservability(config.metrics, {
      logger,
      kafka: {
        client: kafka,
        topic: stage === 'window' ? config.topics.tweetsScored : config.topics.tweetsRaw,
        groupId: groupOf(stage, flags.group),
      },
      clickhouse: rawClickhouse,
    }).catch(async (error: unknown) => {
      await rawClickhouse.close();
      throw error;
    });
    const clickhouse = instrumentClickHouse(rawClickhouse, observe);
    const producer = instrumentProducer(
      await createProducer(kafka, { brokers: config.kafka.brokers, logger }).catch(async (error: unknown) => {
        await Promise.all([observe.close(), clickhouse.close()]);
        throw error;
      }),
      observe,
    );
    const trader =
      flags.trade && stage !== 'score'
        ? await createTrader(
            {
              exchange: config.exchange,
              logger,
              producer,
              ordersTopic: config.topics.orders,
              clickhouse: { client: clickhouse, url: config.clickhouse.url },
            },
            {
              ...tradingOptionsFrom(flags),
              killSwitch: config.trading.killSwitch,
              exchangeTimeoutMs: config.trading.exchangeTimeoutMs,
            },
          ).catch(async (error: unknown) => {
            await Promise.all([producer.close(), clickhouse.close(), observe.close()]);
            throw error;
          })
        : null;
    try {
      const executeDecisions = trader
        ? {
            executeDecisions: createDecisionExecutor(instrumentExchangeSink(trader.sink, observe), {
              logger,
            }),
          }
        : {};
      const hooks = {
        onFlush: createFlushObserver(observe.metrics, {
          maxOutOfOrdernessMs: config.window.maxOutOfOrdernessMs,
        }),
        onTiming: (what: 'batch' | 'flush', seconds: number) =>
          (what === 'flush' ? observe.metrics.flushSeconds : observe.metrics.batchSeconds).observe(
            what === 'flush' ? {} : { command: 'process' },
            seconds,
          ),
      };
      const { scoreThreads, chainModule, ...settings } = config.process;
      const run = {
        config,
        groupId: groupOf(stage, flags.group),
        engine,
        ...settings,
        ...(chainModule === undefined ? {} : { chainModule: chainModuleUrl(chainModule) }),
        ...(flags.checkpointInterval === undefined
          ? {}
          : { checkpointIntervalMs: millis(flags.checkpointInterval, '--checkpoint-interval') }),
        ...(flags.flushInterval === undefined
          ? {}
          : { flushIntervalMs: millis(flags.flushInterval, '--flush-interval') }),
        ...(flags.idleWatermark === undefined
          ? {}
          : { idleWatermarkMs: millis(flags.idleWatermark, '--idle-watermark') }),
        exitWhenIdle: flags.exitWhenIdle === true,
        signal: controller.signal,
      };
      const summary =
        stage === 'score'
          ? await runScoreStage({ kafka, producer, clickhouse, logger, ...hooks }, run)
          : stage === 'window'
            ? await runWindowStage(
                { kafka, producer, clickhouse, logger, ...executeDecisions, ...hooks },
                run,
              )
            : await runProcess(
                { kafka, producer, clickhouse, logger, ...executeDecisions, ...hooks },
                { ...run, scoreThreads: { count: scoreThreads, scoring: engine.scoringOptions } },
              );
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await trader?.close();
      await producer.close();
      await clickhouse.close();
      await observe.close();
    }
  });
}
