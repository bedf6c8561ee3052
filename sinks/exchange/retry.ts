/** Retries of reads (lookups, balances, prices) on retriable errors. Never used for order placement. */
import { isRetriable } from '../../lib/errors.js';

export interface ReadRetryOptions {
  /** Extra attempts after the first. */
  readonly retries: number;
  readonly initialDelayMs: number;
  /** Injected for tests; resolves after `ms`. */
  readonly sleep: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const DEFAULT_READ_RETRY: ReadRetryOptions = { retries: 3, initialDelayMs: 250, sleep: realSleep };

export async function retryRead<T>(read: () => Promise<T>, options: ReadRetryOptions): Promise<T> {
  let delay = options.initialDelayMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!isRetriable(error) || attempt >= options.retries) throw error;
      await options.sleep(delay);
      delay *= 2;
    }
  }
}
