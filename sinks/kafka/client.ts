/**
 * kafkajs client factory. Retries are bounded by a deadline so that a dead broker turns into one
 * clear UnavailableError instead of a hang; kafkajs' own chatter goes to our logger at debug level
 * (the wrappers log state changes themselves).
 */
import type { Kafka as KafkaClient, LogEntry, RetryOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { Kafka, logLevel } from './kafkajs.js';

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Upper bound on the time kafkajs spends retrying one operation. */
  readonly retryDeadlineMs?: number;
  readonly logger?: Logger;
}

/** Retry settings whose worst-case total wait stays near `deadlineMs`. */
export function retryWithin(deadlineMs: number): RetryOptions {
  const initialRetryTime = 250;
  const maxRetryTime = Math.max(initialRetryTime, Math.min(5_000, Math.floor(deadlineMs / 4)));
  let retries = 0;
  let total = 0;
  let delay = initialRetryTime;
  while (total + delay <= deadlineMs && retries < 100) {
    total += delay;
    delay = Math.min(maxRetryTime, delay * 2);
    retries++;
  }
  return { initialRetryTime, maxRetryTime, retries: Math.max(1, retries), multiplier: 2, factor: 0 };
}

export function createKafka({
  brokers,
  clientId = 'sentiflow',
  connectionTimeoutMs = 3_000,
  requestTimeoutMs = 30_000,
  retryDeadlineMs = 30_000,
  logger,
}: KafkaClientOptions): KafkaClient {
  const log = logger?.child({ module: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: requestTimeoutMs,
    retry: retryWithin(retryDeadlineMs),
    logLevel: log ? logLevel.INFO : logLevel.NOTHING,
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        if (!log) return;
        const { message, timestamp: _t, logger: _l, ...fields } = entry;
        log.debug({ namespace, kafkaLevel: logLevel[level], ...fields }, message);
      },
  });
}
