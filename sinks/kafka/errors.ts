/** Maps kafkajs errors onto sentiflow's error classes so no vendor error leaks past sinks/. */

import { RejectedError, SentiflowError, UnavailableError } from '../../lib/errors.js';
import { KafkaJSError } from './kafkajs.js';

export function toKafkaError(error: unknown, doing: string, brokers: readonly string[]): SentiflowError {
  if (error instanceof SentiflowError) return error;
  const where = `Kafka at ${brokers.join(',')}`;
  const message = error instanceof Error ? error.message : String(error);
  const retriable = error instanceof KafkaJSError ? error.retriable || isConnectionFailure(error) : true;
  return retriable
    ? new UnavailableError('kafka', `${doing}: ${where} is unreachable or not ready (${message})`, error)
    : new RejectedError('kafka', `${doing}: ${where} refused the request (${message})`, error);
}

function isConnectionFailure(error: InstanceType<typeof KafkaJSError>): boolean {
  return /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|Connection|timeout|retries/i.test(
    `${error.name} ${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`,
  );
}

/** Rejects with an UnavailableError when `work` has not settled within `ms`. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnavailableError('kafka', `${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `work` again while it fails with what Kafka calls retriable (leader elections, coordinator
 * loading, a topic created a moment ago), with back-off, until `deadlineMs`; then throws the mapped error.
 */
export async function retryRetriable<T>(
  work: () => Promise<T>,
  { doing, brokers, deadlineMs }: { doing: string; brokers: readonly string[]; deadlineMs: number },
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const mapped = toKafkaError(error, doing, brokers);
      if (!mapped.retriable || Date.now() - started > deadlineMs) throw mapped;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
    }
  }
}
