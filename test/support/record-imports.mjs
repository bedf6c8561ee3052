// Module hooks (node:module register) that append every URL the process resolves to the file named by
// RECORD_IMPORTS, one per line: what a start-up imports, for test/pipeline/startup.spec.ts.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.RECORD_IMPORTS) appendFileSync(process.env.RECORD_IMPORTS, `${resolved.url}\n`);
  return resolved;
}
