/** The config's field types: the shapes every section's keys share. */
import { z } from 'zod';

/** "host:port,host:port" (env) or ["host:port", ...] (file; what `config check` prints). */
export const brokerList = z
  .union([z.string(), z.array(z.string())])
  .transform((s) => (Array.isArray(s) ? s : s.split(',')).map((b) => b.trim()).filter((b) => b.length > 0))
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port[,host:port...]'))
      .min(1, 'expected at least one host:port'),
  );
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const topicName = z
  .string()
  .regex(/^[a-zA-Z0-9._-]{1,249}$/, 'expected a Kafka topic name ([a-zA-Z0-9._-])');
export const httpUrl = z.string().refine((u) => {
  try {
    return ['http:', 'https:'].includes(new URL(u).protocol);
  } catch {
    return false;
  }
}, 'expected an http(s) URL');

export const nonNegative = z.coerce.number().min(0);
/** true/false from JSON; "1"/"0"/"true"/"false"/"yes"/"no" from the environment. */
export const boolish = z.union([
  z.boolean(),
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'expected true or false' })
    .transform((s) => ['1', 'true', 'yes', 'on'].includes(s)),
]);

export const term = z.string().regex(/^[$#]?[A-Za-z0-9_]+$/, 'expected one word (letters, digits, _)');
export const terms = z.array(term).default([]);
export const finite = z.coerce.number().refine(Number.isFinite, 'expected a finite number');
