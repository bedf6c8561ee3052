/**
 * Sends decisions through the exchange sink one after the other, retrying a decision whose execution
 * failed for a retriable reason (venue or storage unreachable, unclear order outcome). Retrying is
 * safe: the sink looks the order up by its client order id before it ever sends. This is the hook
 * `sentiflow process` passes as `executeDecisions`, and what `sentiflow trade` runs per message.
 */

import { describeError, isRetriable } from '../../lib/errors.js';
import type { Decision } from '../../operators/types.js';
import type { ExchangeSink } from '../../sinks/exchange/exchange-sink.js';
import type { OrderRecord } from '../../sinks/exchange/order-record.js';
import { realSleep } from '../../sinks/exchange/retry.js';
import type { Logger } from '../logger.js';

export interface ExecuteOptions {
  readonly logger?: Logger;
  readonly retryAttempts?: number;
  readonly retryDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called between attempts (e.g. a consumer heartbeat). */
  readonly onWait?: () => Promise<void>;
}

export async function executeWithRetry(
  sink: ExchangeSink,
  decision: Decision,
  { logger, retryAttempts = 6, retryDelayMs = 1_000, sleep = realSleep, onWait }: ExecuteOptions = {},
): Promise<readonly OrderRecord[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sink.execute(decision);
    } catch (error) {
      if (!isRetriable(error) || attempt >= retryAttempts) throw error;
      const delayMs = retryDelayMs * 2 ** (attempt - 1);
      logger?.warn(
        { decisionId: decision.id, attempt, delayMs, err: describeError(error) },
        'decision not executed yet; retrying',
      );
      await onWait?.();
      await sleep(delayMs);
    }
  }
}

/** The `executeDecisions` hook for the process stage: every decision of a flush, in order. */
export function createDecisionExecutor(
  sink: ExchangeSink,
  options: ExecuteOptions = {},
): (decisions: readonly Decision[]) => Promise<void> {
  return async (decisions) => {
    for (const decision of decisions) await executeWithRetry(sink, decision, options);
  };
}
