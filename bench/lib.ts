/** Shared helpers for benchmark scripts: one JSON line per result on stdout, nothing else there. */

export interface BenchResult {
  readonly bench: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number | null;
  readonly ratio: number | null;
  readonly [extra: string]: unknown;
}

/** Writes one result line; `node` says which runtime measured it (BENCH_NODE can pick another). */
export function emit(result: BenchResult): void {
  const { bench, value, unit, baseline, ratio, ...extra } = result;
  const line = { bench, value, unit, baseline, ratio, node: process.version, ...extra };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Ratio rounded for reading; null when either side is missing. */
export function ratioOf(value: number, baseline: number | null): number | null {
  if (baseline === null || baseline === 0) return null;
  return Math.round((value / baseline) * 1000) / 1000;
}

export function rssMb(): number {
  return Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;
}

/** Samples RSS on a timer and keeps the peak; stop() returns it in MB. */
export function trackPeakRss(intervalMs = 50): { stop(): number; sample(): void } {
  let peak = process.memoryUsage().rss;
  const sample = (): void => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return Math.round((peak / 1024 / 1024) * 10) / 10;
    },
  };
}

/** Logs progress for humans to stderr, keeping stdout for results. */
export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
