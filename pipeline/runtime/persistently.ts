import type { Logger } from 'pino';
import { describeError, isRetriable } from '../../lib/errors.js';

/**
 * Retries work that failed because Kafka or ClickHouse is away, with back-off, until it succeeds or the
 * signal stops it. Only for work that is safe to repeat (idempotent writes, nothing committed before).
 */
export async function persistently<T>(
  what: string,
  work: () => Promise<T>,
  context: {
    readonly log: Logger;
    readonly signal?: AbortSignal | undefined;
    /** First back-off, doubling up to 40x (default 250 ms; tests pass less). */
    readonly backoffMs?: number | undefined;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await work();
      if (attempt > 1) context.log.info({ what, attempts: attempt }, 'dependency back: resumed');
      return result;
    } catch (error) {
      if (!isRetriable(error) || context.signal?.aborted) throw error;
      if (attempt === 1)
        context.log.warn({ what, err: describeError(error) }, 'dependency unavailable: backing off');
      const first = context.backoffMs ?? 250;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(40 * first, first * 2 ** Math.min(attempt, 6))),
      );
    }
  }
}
