/**
 * Parameter sweeps: every combination of the grid over the same replayed buckets, spread over worker
 * threads (one per core by default), each worker rebuilding the price series from plain candles.
 * The Kafka replay and the scoring/windowing ran once before; only decisions, fills and metrics are
 * per combination. Results come back in the order of the combinations.
 */
import { availableParallelism } from 'node:os';
import type { Bucket, SymbolCode } from '../../operators/index.js';
import type { Candle } from '../../sinks/prices/candle.js';
import type { BacktestResult } from '../../sinks/reports/types.js';
import { startModuleWorker } from '../start-worker.js';
import { evaluate, type ReplayCounts, type RunSettings } from './evaluate.js';
import { createPriceSeries } from './price-series.js';

export interface SweepInput {
  readonly buckets: readonly Bucket[];
  readonly candles: Readonly<
    Record<SymbolCode, { readonly market: string; readonly candles: readonly Candle[] }>
  >;
  readonly maxGapHours: number;
  readonly counts: ReplayCounts;
}

export interface SweepTask {
  readonly input: SweepInput;
  readonly settings: readonly RunSettings[];
}

/** Runs settings one after the other in this thread (a worker's body, and the single-thread path). */
export async function evaluateAll(task: SweepTask): Promise<BacktestResult[]> {
  const { input } = task;
  const out: BacktestResult[] = [];
  for (const settings of task.settings) {
    const prices = new Map(
      Object.entries(input.candles).map(([symbol, c]) => [
        symbol,
        createPriceSeries({
          market: c.market,
          candles: c.candles,
          from: settings.from,
          to: settings.to,
          maxGapHours: input.maxGapHours,
        }),
      ]),
    );
    const { decisions: _decisions, ...result } = await evaluate(
      input.buckets,
      prices,
      settings,
      input.counts,
    );
    out.push(result);
  }
  return out;
}

function inWorker(task: SweepTask): Promise<BacktestResult[]> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(import.meta.url, 'sweep-worker', { workerData: task });
    let settled = false;
    worker.once(
      'message',
      (message: { ok: true; results: BacktestResult[] } | { ok: false; error: string }) => {
        settled = true;
        if (message.ok) resolve(message.results);
        else reject(new Error(`sweep worker failed: ${message.error}`));
      },
    );
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`sweep worker exited with code ${code} before answering`));
    });
  });
}

/** Evaluates every settings entry; `workers` <= 1 stays in this thread. */
export async function runSweep(
  input: SweepInput,
  settings: readonly RunSettings[],
  workers = Math.min(availableParallelism(), 4),
): Promise<BacktestResult[]> {
  const n = Math.max(1, Math.min(workers, settings.length));
  if (n === 1) return evaluateAll({ input, settings });
  // Round-robin so neighbouring (similar-cost) combinations spread over the workers.
  const shares: { index: number; settings: RunSettings }[][] = Array.from({ length: n }, () => []);
  for (const [index, s] of settings.entries()) shares[index % n]!.push({ index, settings: s });
  const parts = await Promise.all(
    shares.map((share) => inWorker({ input, settings: share.map((s) => s.settings) })),
  );
  const out: BacktestResult[] = new Array(settings.length);
  for (const [w, share] of shares.entries()) {
    for (const [i, s] of share.entries()) out[s.index] = parts[w]![i]!;
  }
  return out;
}
