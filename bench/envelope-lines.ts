/**
 * Writes synthetic envelopes to stdout as JSON lines, the bytes a Kafka consumer would hand the
 * process stage: `tsx bench/envelope-lines.ts <seed> <count>`. operators.dedupe_memory reads them
 * from this child so that its RSS holds what consuming costs, not the generator's own rings.
 */
import { once } from 'node:events';
import { generateEnvelopes } from '../pipeline/sources/synthetic.js';

const [seed, count] = process.argv.slice(2).map(Number);
if (!Number.isInteger(seed) || !Number.isInteger(count) || count! < 0) {
  process.stderr.write('usage: envelope-lines.ts <seed> <count>\n');
  process.exit(2);
}
let lines: string[] = [];
for (const envelope of generateEnvelopes({ seed: seed!, count: count! })) {
  lines.push(JSON.stringify(envelope));
  if (lines.length === 1000) {
    if (!process.stdout.write(`${lines.join('\n')}\n`)) await once(process.stdout, 'drain');
    lines = [];
  }
}
if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
