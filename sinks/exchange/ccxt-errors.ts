/**
 * Maps ccxt errors to lib/errors.ts classes so no vendor error leaves sinks/. Messages are
 * scrubbed: query strings (timestamps, signatures) are cut from URLs and any configured secret
 * is replaced, and the ccxt error is not kept as the cause (its fields hold the raw request).
 */
import {
  AuthenticationError,
  BadSymbol,
  BaseError,
  InsufficientFunds,
  InvalidOrder,
  NotSupported,
  OperationFailed,
} from 'ccxt';
import { ConfigError, RejectedError, type SentiflowError, UnavailableError } from '../../lib/errors.js';

export function scrub(message: string, secrets: readonly (string | null | undefined)[]): string {
  let out = message.replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1?…');
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  out = out.replace(/("?signature"?\s*[:=]\s*"?)[0-9a-fA-F]{16,}/g, '$1***');
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}

/** Which lib/errors class a ccxt error becomes; non-ccxt errors pass through unchanged. */
export function mapCcxtError(
  error: unknown,
  service: string,
  action: string,
  secrets: readonly (string | null | undefined)[],
): unknown {
  if (!(error instanceof BaseError)) return error;
  const detail = `${error.constructor.name}: ${scrub(error.message, secrets)}`;
  const message = `${service} ${action} failed (${detail})`;
  let mapped: SentiflowError;
  // OperationFailed covers NetworkError (timeouts, 5xx, rate limits) and venue codes such as Binance -1001.
  if (error instanceof OperationFailed) mapped = new UnavailableError(service, message);
  else if (error instanceof AuthenticationError)
    mapped = new RejectedError(service, `${message}; check EXCHANGE_API_KEY/EXCHANGE_SECRET`);
  else if (error instanceof NotSupported) mapped = new ConfigError(message);
  else mapped = new RejectedError(service, message);
  return mapped;
}

/** Order-placement rejections the sink records with a reason (the rest are errors). */
export function rejectReasonOf(
  error: unknown,
): 'insufficient_balance' | 'unknown_symbol' | 'invalid_order' | null {
  if (error instanceof InsufficientFunds) return 'insufficient_balance';
  if (error instanceof BadSymbol) return 'unknown_symbol';
  if (error instanceof InvalidOrder) return 'invalid_order';
  return null;
}
