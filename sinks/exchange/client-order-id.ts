/** The client order id of a decision: deterministic, so a restart or a duplicate finds the same order. */
import { createHash } from 'node:crypto';
import type { Decision } from '../../operators/types.js';

/** Binance's rule for newClientOrderId, the strictest common one among major venues. */
const VALID = /^[.A-Za-z0-9:/_-]{1,36}$/;

export function clientOrderIdFor(decision: Pick<Decision, 'id'>): string {
  if (VALID.test(decision.id)) return decision.id;
  return `sf-${createHash('sha256').update(decision.id).digest('hex').slice(0, 32)}`;
}
