/**
 * operators.dedupe_memory: 5,000,000 synthetic envelopes, generated lazily, normalized and pushed
 * through the dedupe state with its default bounds. Value: peak RSS in MB; extras: the peak RSS of
 * each half and the live heap after a full GC at the half and at the end, which show whether memory
 * stays flat once the bounds are reached. `DEDUPE_COUNT` overrides the count for quick runs.
 */
import { createDedupeState, DEFAULT_DEDUPE_OPTIONS, normalizeParsed } from '../operators/index.js';
import { generateEnvelopes } from '../pipeline/sources/synthetic.js';
import { emit, note } from './lib.js';

const count = Number(process.env.DEDUPE_COUNT ?? 5_000_000);
const half = Math.floor(count / 2);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const gc = (globalThis as { gc?: () => void }).gc;

function liveHeapMb(): number {
  gc?.();
  return mb(process.memoryUsage().heapUsed);
}

const peaks = [0, 0];
const dedupe = createDedupeState();
let kept = 0;
let i = 0;
let heapAtHalf = 0;
const started = performance.now();
for (const envelope of generateEnvelopes({ seed: 11, count })) {
  const tweet = normalizeParsed(envelope);
  if (tweet.kind === 'tweet' && dedupe.step(tweet).kind === 'tweet') kept++;
  i++;
  // The loop is synchronous, so RSS is sampled here rather than on a timer.
  if (i % 20_000 === 0) {
    const part = i <= half ? 0 : 1;
    peaks[part] = Math.max(peaks[part]!, mb(process.memoryUsage().rss));
  }
  if (i === half) {
    heapAtHalf = liveHeapMb();
    note(
      `half: ${i} envelopes, ${kept} kept, rss peak ${peaks[0]} MB, live heap ${heapAtHalf} MB, state ${JSON.stringify(dedupe.size())}`,
    );
  }
}
peaks[1] = Math.max(peaks[1]!, mb(process.memoryUsage().rss));
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
