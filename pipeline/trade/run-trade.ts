/**
 * `sentiflow trade` as a process: consumes the `signals` topic in its own consumer group and sends
 * each decision through the exchange sink, one after the other. Offsets are committed per batch only
 * after every decision in it was executed and recorded. A retriable failure (exchange or storage
 * unreachable, unclear order outcome) is retried with back-off: the sink looks the order up by its
 * client order id first, so a retry never places a second order. A message that is not a decision is
 * logged with its offset and skipped.
 */
import type { Kafka } from 'kafkajs';
import type { Decision } from '../../operators/types.js';
import type { ExchangeSink } from '../../sinks/exchange/exchange-sink.js';
import type { OrderRecord } from '../../sinks/exchange/order-record.js';
import { realSleep } from '../../sinks/exchange/retry.js';
import type { Logger } from '../logger.js';
import { type BatchConsumer, createBatchConsumer } from '../sources/kafka-consumer.js';
import { decodeDecision } from './decision-codec.js';
import { executeWithRetry } from './execute-decisions.js';

export interface TradeStats {
  decisions: number;
  badMessages: number;
  orders: Record<string, number>;
}

export interface RunTradeOptions {
  readonly kafka: Kafka;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly sink: ExchangeSink;
  readonly logger: Logger;
  readonly groupId?: string;
  /** A new group starts at the oldest signal instead of the newest (stale ones are refused by age). */
  readonly fromBeginning?: boolean;
  /** How long the group waits for a silent member before giving its partitions away (KAFKA_SESSION_TIMEOUT_MS). */
  readonly sessionTimeoutMs?: number;
  readonly retryAttempts?: number;
  readonly retryDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called after each executed decision (tests, progress). */
  readonly onExecuted?: (decision: Decision, records: readonly OrderRecord[]) => void;
}

export interface TradeRun {
  readonly stats: TradeStats;
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export async function runTrade(options: RunTradeOptions): Promise<TradeRun> {
  const { sink, logger, retryAttempts = 6, retryDelayMs = 1_000, sleep = realSleep } = options;
  const log = logger.child({ module: 'trade' });
  const stats: TradeStats = { decisions: 0, badMessages: 0, orders: {} };
  const consumer: BatchConsumer = await createBatchConsumer(options.kafka, {
    brokers: options.brokers,
    groupId: options.groupId ?? 'sentiflow-trade',
    topics: [options.topic],
    fromBeginning: options.fromBeginning ?? false,
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    logger,
  });

  await consumer.run(async (batch, context) => {
    for (const message of batch.messages) {
      const decision = decodeDecision(message.value);
      if (typeof decision === 'string') {
        stats.badMessages += 1;
        log.warn(
          { topic: batch.topic, partition: batch.partition, offset: message.offset, reason: decision },
          'skipping a signals message',
        );
        continue;
      }
      const records = await executeWithRetry(sink, decision, {
        logger: log,
        retryAttempts,
        retryDelayMs,
        sleep,
        onWait: context.heartbeat,
      });
      stats.decisions += 1;
      for (const r of records) stats.orders[r.status] = (stats.orders[r.status] ?? 0) + 1;
      options.onExecuted?.(decision, records);
      await context.heartbeat();
    }
  });
  return { stats, done: consumer.done, stop: () => consumer.stop() };
}
