/** Shared helpers for benchmark scripts: one JSON line per result on stdout, nothing else there. */
import { readdirSync, readFileSync } from 'node:fs';

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

/**
 * CPU seconds per thread of this process from /proc (Linux), sampled while threads come and go: the main
 * thread's, and every other thread's that used at least `minSeconds` (worker threads; libuv's pool), most
 * first. Shows which thread is a run's critical path, which process-wide CPU cannot. Empty elsewhere.
 */
export function trackThreadCpu(
  intervalMs = 200,
  minSeconds = 0.5,
): { stop(): { main: number; others: number[] } } {
  const tick = 100; // USER_HZ on Linux
  const start = new Map<string, number>();
  const last = new Map<string, number>();
  const read = (first: boolean): void => {
    let tids: string[];
    try {
      tids = readdirSync('/proc/self/task');
    } catch {
      return;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
        if (first) start.set(tid, ticks);
        else if (!start.has(tid)) start.set(tid, 0);
        last.set(tid, ticks);
      } catch {
        // The thread ended between listing and reading.
      }
    }
  };
  read(true);
  const timer = setInterval(() => read(false), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      read(false);
      const used = (tid: string): number =>
        Math.round((((last.get(tid) ?? 0) - (start.get(tid) ?? 0)) / tick) * 10) / 10;
      const main = String(process.pid);
      const others = [...last.keys()]
        .filter((tid) => tid !== main)
        .map(used)
        .filter((s) => s >= minSeconds)
        .sort((a, b) => b - a);
      return { main: used(main), others };
    },
  };
}

/**
 * CPU seconds the whole machine spent busy and idle from now to stop(), over all its cores (Linux
 * /proc/stat; null elsewhere): what a run took from every process, the servers it talks to included.
 */
export function trackMachineCpu(): { stop(): { busy: number; idle: number } | null } {
  const read = (): { busy: number; idle: number } | null => {
    try {
      const fields = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!.trim().split(/\s+/).slice(1);
      const ticks = fields.slice(0, 8).map(Number); // user nice system idle iowait irq softirq steal
      const idle = ticks[3]! + ticks[4]!;
      return { busy: ticks.reduce((a, b) => a + b, 0) - idle, idle };
    } catch {
      return null;
    }
  };
  const from = read();
  return {
    stop() {
      const to = read();
      if (from === null || to === null) return null;
      const seconds = (ticks: number): number => Math.round(ticks / 10) / 10; // USER_HZ = 100
      return { busy: seconds(to.busy - from.busy), idle: seconds(to.idle - from.idle) };
    },
  };
}

/** Logs progress for humans to stderr, keeping stdout for results. */
export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
