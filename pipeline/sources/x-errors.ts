/**
 * Turns what twitter-api-v2 throws into either a retriable failure (fed to the back-off policy) or an
 * operational error that ends ingestion with one clear line: a bad or expired token, a clock skew
 * (401), missing access (403), a bad request (400), or too many stream connections (429
 * TooManyConnections: X's per-app stream connection limit; retrying only prolongs it).
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { RejectedError, type SentiflowError } from '../../lib/errors.js';
import type { Failure } from './backoff.js';

export interface XHttpFailure {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type XErrorVerdict =
  | { readonly retry: Failure; readonly reason: string }
  | { readonly fatal: SentiflowError };

function field(body: unknown, key: string): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
}

function problem(body: unknown): string {
  const detail = field(body, 'detail') ?? field(body, 'title');
  return detail === null ? '' : ` (${detail})`;
}

/** Pure classification of an HTTP error response from X. */
export function classifyXHttpFailure({ status, body, headers }: XHttpFailure, what: string): XErrorVerdict {
  if (status === 401) {
    return {
      fatal: new RejectedError(
        'x',
        `X rejected the credentials for ${what} (401 Unauthorized): check X_BEARER_TOKEN, and the machine clock if the token is right`,
      ),
    };
  }
  if (status === 403) {
    return {
      fatal: new RejectedError(
        'x',
        `X refused ${what} (403 Forbidden)${problem(body)}: the app lacks access to it`,
      ),
    };
  }
  if (status === 400 || status === 404) {
    return {
      fatal: new RejectedError('x', `X rejected the request for ${what} (${status})${problem(body)}`),
    };
  }
  if (status === 429 && field(body, 'connection_issue') === 'TooManyConnections') {
    return {
      fatal: new RejectedError(
        'x',
        `X refused ${what}: too many connections (another client already holds this app's stream connection)`,
      ),
    };
  }
  if (status === 429 || status === 420) {
    const raw = headers['x-rate-limit-reset'];
    const seconds = Number(Array.isArray(raw) ? raw[0] : raw);
    const resetAtMs = raw !== undefined && Number.isFinite(seconds) ? seconds * 1000 : null;
    return { retry: { kind: 'rate-limit', resetAtMs }, reason: `HTTP ${status} rate limited` };
  }
  return { retry: { kind: 'http' }, reason: `HTTP ${status}${problem(body)}` };
}

/** Classifies anything thrown by a twitter-api-v2 request or stream connect. */
export function classifyXError(error: unknown, what: string): XErrorVerdict {
  if (error instanceof ApiResponseError) {
    return classifyXHttpFailure({ status: error.code, body: error.data, headers: error.headers }, what);
  }
  if (error instanceof ApiRequestError || error instanceof ApiPartialResponseError) {
    const cause = error instanceof ApiRequestError ? error.requestError.message : error.message;
    return { retry: { kind: 'network' }, reason: `network error: ${cause}` };
  }
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return { retry: { kind: 'network' }, reason: `network error: ${error.message}` };
  }
  throw error;
}
