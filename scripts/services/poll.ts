import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  readonly timeoutMs: number;
  /** Pause between attempts. */
  readonly intervalMs?: number;
  /** Named in the timeout error: "timed out after 5000 ms waiting for <what>". */
  readonly what?: string;
  /** Stops polling early with this error, e.g. when the server process exited. */
  readonly abort?: () => Error | undefined;
}

type Falsy = undefined | null | false | 0 | '';

/**
 * Calls `attempt` until it returns a truthy value (which is returned) or the deadline passes.
 * A throwing attempt counts as "not yet"; its message is kept for the timeout error.
 */
export async function pollUntil<T>(
  attempt: () => T | Falsy | Promise<T | Falsy>,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let last = '';
  for (;;) {
    const aborted = options.abort?.();
    if (aborted) throw aborted;
    try {
      const value = await attempt();
      if (value) return value as T;
      last = '';
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      const what = options.what ?? 'a condition';
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    }
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}
