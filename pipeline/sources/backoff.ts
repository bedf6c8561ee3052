/**
 * X's documented reconnect policy for streaming connections, as a pure function
 * (https://docs.x.com/x-api/fundamentals/handling-disconnections):
 * - an established connection that drops is retried at once;
 * - TCP/IP (network) errors back off linearly, 250 ms more per attempt, capped at 16 s;
 * - HTTP errors back off exponentially from 5 s, doubling, capped at 320 s;
 * - HTTP 429 backs off exponentially from 1 minute, doubling; a rate-limit reset time from the
 *   response headers wins when it lies in the future.
 * The caller keeps the returned state between attempts and resets it once a connection delivers data.
 */

export const FAILURE_KINDS = ['dropped', 'network', 'http', 'rate-limit'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
  readonly kind: FailureKind;
  /** For 'rate-limit': x-rate-limit-reset as epoch ms, when the response carried it. */
  readonly resetAtMs?: number | null;
}

export interface BackoffState {
  readonly kind: FailureKind | null;
  /** Consecutive failures of `kind` so far (0 when fresh). */
  readonly attempt: number;
}

export const INITIAL_BACKOFF: BackoffState = { kind: null, attempt: 0 };

export const NETWORK_STEP_MS = 250;
export const NETWORK_MAX_MS = 16_000;
export const HTTP_FIRST_MS = 5_000;
export const HTTP_MAX_MS = 320_000;
export const RATE_LIMIT_FIRST_MS = 60_000;
/** X names no ceiling for 429s; past one 15-minute rate-limit window doubling again only loses data. */
export const RATE_LIMIT_MAX_MS = 960_000;

function exponential(first: number, attempt: number, max: number): number {
  return Math.min(first * 2 ** Math.min(attempt - 1, 30), max);
}

/** Delay before the next connection attempt after `failure`, and the state to keep for the one after. */
export function nextBackoff(
  state: BackoffState,
  failure: Failure,
  nowMs: number,
): { readonly delayMs: number; readonly state: BackoffState } {
  const attempt = state.kind === failure.kind ? state.attempt + 1 : 1;
  const next: BackoffState = { kind: failure.kind, attempt };
  switch (failure.kind) {
    case 'dropped':
      // The first reconnect after a drop is immediate; if the server keeps dropping us, back off like
      // a network error so that a flapping endpoint is not hammered.
      return { delayMs: Math.min(NETWORK_STEP_MS * (attempt - 1), NETWORK_MAX_MS), state: next };
    case 'network':
      return { delayMs: Math.min(NETWORK_STEP_MS * attempt, NETWORK_MAX_MS), state: next };
    case 'http':
      return { delayMs: exponential(HTTP_FIRST_MS, attempt, HTTP_MAX_MS), state: next };
    case 'rate-limit': {
      const reset = failure.resetAtMs ?? null;
      if (reset !== null && Number.isFinite(reset) && reset > nowMs) {
        return { delayMs: reset - nowMs, state: next };
      }
      return { delayMs: exponential(RATE_LIMIT_FIRST_MS, attempt, RATE_LIMIT_MAX_MS), state: next };
    }
  }
}
