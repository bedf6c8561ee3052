/**
 * operators.dedupe_memory: 5,000,000 synthetic envelopes through the dedupe state with its default
 * bounds. Value: peak RSS in MB; extras: the peak RSS of each half and the live heap after a full GC
 * at the half and at the end, which show whether memory stays flat once the bounds are reached.
 * `DEDUPE_COUNT` overrides the count for quick runs.
 *
 * The envelopes arrive as JSON lines from a child process (envelope-lines.ts), as bytes reach the
 * process stage, and are parsed and normalized here. Generating them in this process measured the
 * generator too: it keeps its latest envelopes in rings, and Node 26's V8 sometimes decides early
 * on that their allocation sites live long and allocates every later envelope in the old generation,
 * where they die: 100 MB more RSS in about half the runs, none of it dedupe's.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDedupeState, DEFAULT_DEDUPE_OPTIONS, normalizeEnvelope } from '../operators/index.js';
import { emit, note, rssMb } from './lib.js';

const count = Number(process.env.DEDUPE_COUNT ?? 5_000_000);
if (!Number.isInteger(count) || count < 1) {
  note(`DEDUPE_COUNT must be a whole number >= 1, not ${JSON.stringify(process.env.DEDUPE_COUNT)}`);
  process.exit(2);
}
const half = Math.floor(count / 2);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const gc = (globalThis as { gc?: () => void }).gc;

function liveHeapMb(): number {
  gc?.();
  return mb(process.memoryUsage().heapUsed);
}

const lines = join(dirname(fileURLToPath(import.meta.url)), 'envelope-lines.ts');
const generator = spawn(process.execPath, ['--import', 'tsx', lines, '11', String(count)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const exited = once(generator, 'exit');

const peaks = [0, 0];
const dedupe = createDedupeState();
let kept = 0;
let i = 0;
let heapAtHalf = 0;
const started = performance.now();
for await (const line of createInterface({ input: generator.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
  const tweet = normalizeEnvelope(line);
  if (tweet.kind === 'tweet' && dedupe.step(tweet).kind === 'tweet') kept++;
  i++;
  // Sampled here rather than on a timer, which would wait behind the loop.
  if (i % 20_000 === 0) {
    const part = i <= half ? 0 : 1;
    peaks[part] = Math.max(peaks[part]!, rssMb());
  }
  if (i === half) {
    heapAtHalf = liveHeapMb();
    note(
      `half: ${i} envelopes, ${kept} kept, rss peak ${peaks[0]} MB, live heap ${heapAtHalf} MB, state ${JSON.stringify(dedupe.size())}`,
    );
  }
}
const [code] = await exited;
if (code !== 0 || i !== count) {
  note(`failed: the envelope generator exited with ${code} after ${i} of ${count} envelopes`);
  process.exit(1);
}
peaks[1] = Math.max(peaks[1]!, rssMb());
const heapAtEnd = liveHeapMb();
const seconds = (performance.now() - started) / 1000;
note(
  `end: ${i} envelopes in ${seconds.toFixed(1)} s, ${kept} kept, live heap ${heapAtEnd} MB, state ${JSON.stringify(dedupe.size())}`,
);
emit({
  bench: 'operators.dedupe_memory',
  value: Math.max(...peaks),
  unit: 'MB',
  baseline: null,
  ratio: null,
  rss_first_half_mb: peaks[0]!,
  rss_second_half_mb: peaks[1]!,
  heap_at_half_mb: heapAtHalf,
  heap_at_end_mb: heapAtEnd,
  envelopes: i,
  kept,
  max_ids: DEFAULT_DEDUPE_OPTIONS.maxIds,
  max_texts: DEFAULT_DEDUPE_OPTIONS.maxTexts,
  seconds: Math.round(seconds),
});
