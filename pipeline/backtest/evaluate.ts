/**
 * One parameter set over the shared buckets: decisions from the same decider the engine uses (so
 * they equal the engine's own), paper fills on the candles, metrics. Pure apart from the in-memory
 * paper exchange; runs in the main thread or in a sweep worker.
 */
import { createHash } from 'node:crypto';
import {
  type Bucket,
  createDecider,
  createStrategy,
  type Decision,
  type SymbolCode,
} from '../../operators/index.js';
import type { BacktestResult, SymbolHour } from '../../sinks/reports/types.js';
import { HOUR_MS, type PriceSeries } from './price-series.js';
import { simulate } from './simulate.js';
import { summarize } from './summarize.js';

export interface RunSettings {
  readonly from: number;
  readonly to: number;
  readonly symbols: readonly SymbolCode[];
  readonly strategy: string;
  /** Raw params of this run (strings from --param). */
  readonly params: Readonly<Record<string, string>>;
  /** Name decisions carry (their ids derive from it); the live process uses the strategy's name. */
  readonly strategyName?: string;
  readonly capital: number;
  readonly feeBps: number;
  readonly slippageBps: number;
  readonly quote: string;
  /** Anything else that changes the result (topic, exchange, code version): part of the run id. */
  readonly identity?: Readonly<Record<string, string>>;
}

export interface ReplayCounts {
  readonly consumed: number;
  readonly stored: number;
}

/** Same settings, same id: recording a run again replaces it. */
export function runIdOf(settings: RunSettings): string {
  const canonical = JSON.stringify([
    settings.from,
    settings.to,
    [...settings.symbols].sort(),
    settings.strategy,
    Object.entries(settings.params).sort(([a], [b]) => a.localeCompare(b)),
    settings.strategyName ?? '',
    settings.capital,
    settings.feeBps,
    settings.slippageBps,
    settings.quote,
    Object.entries(settings.identity ?? {}).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  return `bt-${createHash('sha256').update(canonical).digest('hex').slice(0, 20)}`;
}

/** The decisions a strategy takes over buckets in the engine's closing order, for the requested symbols. */
export function decideOver(
  buckets: readonly Bucket[],
  settings: Pick<RunSettings, 'strategy' | 'params' | 'strategyName' | 'symbols'>,
): Decision[] {
  const strategy = createStrategy(settings.strategy, settings.params);
  const decider = createDecider({ strategy, name: settings.strategyName ?? strategy.name });
  const wanted = new Set(settings.symbols);
  return buckets.filter((b) => wanted.has(b.symbol)).map((b) => decider.decide(b));
}

function hoursOf(
  buckets: readonly Bucket[],
  symbol: SymbolCode,
  series: PriceSeries | undefined,
  from: number,
  to: number,
): SymbolHour[] {
  const bySTart = new Map(buckets.filter((b) => b.symbol === symbol).map((b) => [b.start, b] as const));
  const out: SymbolHour[] = [];
  for (let t = Math.floor(from / HOUR_MS) * HOUR_MS; t < to; t += HOUR_MS) {
    const b = bySTart.get(t);
    out.push({
      time: t,
      weightedMean: b ? b.weightedMean : null,
      count: b ? b.count : 0,
      close: series?.closeAt(t + HOUR_MS) ?? null,
    });
  }
  return out;
}

export async function evaluate(
  buckets: readonly Bucket[],
  prices: ReadonlyMap<SymbolCode, PriceSeries>,
  settings: RunSettings,
  counts: ReplayCounts,
): Promise<BacktestResult & { readonly decisions: readonly Decision[] }> {
  const decisions = decideOver(buckets, settings);
  const sim = await simulate(decisions, {
    from: settings.from,
    to: settings.to,
    symbols: settings.symbols,
    prices,
    capital: settings.capital,
    quote: settings.quote,
    feeBps: settings.feeBps,
    slippageBps: settings.slippageBps,
  });
  const strategy = createStrategy(settings.strategy, settings.params);
  const resolved = Object.fromEntries(
    Object.entries(settings.params).map(([k, v]) => [k, Number(v)] as const),
  );
  const summary = summarize(sim, {
    from: settings.from,
    to: settings.to,
    symbols: settings.symbols,
    strategy: strategy.name,
    params: resolved,
    capital: settings.capital,
    feeBps: settings.feeBps,
    slippageBps: settings.slippageBps,
    decisions: decisions.length,
    tweets: { consumed: counts.consumed, stored: counts.stored, buckets: buckets.length },
    candleGaps: [...prices.values()].reduce((n, s) => n + s.gaps, 0),
  });
  const hours: Record<SymbolCode, SymbolHour[]> = {};
  for (const symbol of settings.symbols) {
    hours[symbol] = hoursOf(buckets, symbol, prices.get(symbol), settings.from, settings.to);
  }
  return { runId: runIdOf(settings), summary, trades: sim.trades, equity: sim.equity, hours, decisions };
}
