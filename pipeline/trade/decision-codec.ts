/** Reads a Decision from a `signals` message (JSON, key = symbol); anything else is a reason, not a crash. */
import { z } from 'zod';
import { ACTIONS, type Decision } from '../../operators/types.js';

const DecisionSchema = z.object({
  kind: z.literal('decision'),
  id: z.string().min(1).max(128),
  strategy: z.string().min(1),
  symbol: z
    .string()
    .regex(/^[A-Z0-9]{1,20}(\/[A-Z0-9]{1,20})?$/, 'expected an asset like BTC or a pair like BTC/USDT'),
  bucketStart: z.number().int(),
  decidedAt: z.number().int(),
  action: z.enum(ACTIONS),
  size: z.number().min(0).max(1),
  reason: z.string(),
  // Analytics only: JSON turns NaN/Infinity into null, which must not cost us the decision.
  inputs: z
    .record(z.string(), z.unknown())
    .default({})
    .transform((inputs) =>
      Object.fromEntries(
        Object.entries(inputs).filter((e): e is [string, number] => typeof e[1] === 'number'),
      ),
    ),
});

export function decodeDecision(value: Buffer | string | null): Decision | string {
  if (value === null) return 'empty message';
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    return 'not JSON';
  }
  const parsed = DecisionSchema.safeParse(json);
  if (!parsed.success) {
    return `not a decision: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`;
  }
  return parsed.data;
}
