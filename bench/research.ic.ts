/**
 * research.ic: seconds for the full `sentiflow research` analysis (pipeline/research/analyze.ts) over
 * 5 years of hourly buckets for 6 symbols (about 263,000 metric rows) plus their hourly candles: six
 * signals, horizons 1 h, 4 h and 24 h with 1,000 block-bootstrap resamples each, the lead-lag scan
 * over ±48 h with its peak's standard error (300 resamples), quintiles and hit rates, in one thread.
 * Target: under 5 s. Best of three rounds; the line also gives the CPU seconds, as on a machine shared
 * with other work the wall time grows.
 * The input is generated in memory (random-walk prices, moods and volumes with a daily cycle and a
 * few gaps), so the bench measures the analysis, not ClickHouse or JSON parsing.
 */
import {
  analyze,
  DEFAULT_RESEARCH_SETTINGS,
  marginsOf,
  type SymbolInput,
} from '../pipeline/research/analyze.js';
import type { MetricRow } from '../pipeline/research/hourly-frame.js';
import { createRandom } from '../pipeline/sources/synthetic-random.js';
import type { Candle } from '../sinks/prices/candle.js';
import type { ResearchReport } from '../sinks/reports/research-types.js';
import { emit, note } from './lib.js';

const HOUR = 3_600_000;
const FROM = Date.UTC(2019, 0, 1);
const TO = Date.UTC(2024, 0, 1);
const SYMBOLS = ['BTC', 'ETH', 'SOL', 'ADA', 'DOGE', 'XRP'];
const TARGET_S = 5;

function generate(): SymbolInput[] {
  const random = createRandom(2024);
  const { before, after } = marginsOf(DEFAULT_RESEARCH_SETTINGS);
  const first = FROM / HOUR - before;
  const last = TO / HOUR + after;
  const volumes = SYMBOLS.map(() => new Float64Array(last - first));
  const inputs = SYMBOLS.map((symbol, s) => {
    const rows: MetricRow[] = [];
    const candles: Candle[] = [];
    let mood = 0;
    let close = 100 * (s + 1);
    for (let h = first; h < last; h++) {
      mood = 0.95 * mood + 0.05 * (random() - 0.5);
      const open = close;
      close = open * Math.exp(0.01 * (random() - 0.5) + 0.002 * mood);
      if (random() > 0.001)
        candles.push({ openTime: h * HOUR, open, high: open, low: close, close, volume: 1 });
      const volume = Math.round((40 + 30 * Math.sin((2 * Math.PI * h) / 24)) * (0.5 + random()));
      if (volume === 0 || h >= TO / HOUR) continue;
      volumes[s]![h - first] = volume;
      const positive = Math.round(volume * (0.35 + mood));
      rows.push({
        symbol,
        hour: h * HOUR,
        volume,
        authors: Math.round(volume * 0.8),
        positive,
        negative: volume - positive - Math.round(volume * 0.3),
        weightedMean: mood + 0.2 * (random() - 0.5),
        dominance: 0,
      });
    }
    return { symbol, market: `${symbol}/USDT`, rows, candles };
  });
  return inputs.map((input) => ({
    ...input,
    rows: input.rows.map((r) => {
      const i = r.hour / HOUR - first;
      const total = volumes.reduce((sum, v) => sum + v[i]!, 0);
      return { ...r, dominance: r.volume / total };
    }),
  }));
}

const inputs = generate();
const rows = inputs.reduce((n, i) => n + i.rows.length, 0);
note(`${rows} metric rows and ${inputs.reduce((n, i) => n + i.candles.length, 0)} candles generated`);
/** One full analysis, its garbage collected first: wall and CPU seconds. */
function round(): { seconds: number; cpuSeconds: number; report: ResearchReport } {
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const report = analyze(FROM, TO, inputs, DEFAULT_RESEARCH_SETTINGS);
  const used = process.cpuUsage(cpu);
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    report,
  };
}

// The best of three rounds: the machine may be shared, and the slow rounds measure the neighbours.
const rounds = [round(), round(), round()];
for (const r of rounds) note(`round: ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU`);
const best = rounds.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const { seconds, report, cpuSeconds } = best;
const btc = report.symbols[0]!.signals[0]!;
note(`BTC sentiment: IC 1h ${btc.horizons[0]!.ic?.toFixed(4)}, peak lag ${btc.leadLag.peak?.lag}`);
emit({
  bench: 'research.ic',
  value: Math.round(seconds * 1000) / 1000,
  unit: 's',
  baseline: TARGET_S,
  ratio: Math.round((seconds / TARGET_S) * 1000) / 1000,
  cpuSeconds: Math.round(cpuSeconds * 1000) / 1000,
  rows,
  symbols: SYMBOLS.length,
  target: `< ${TARGET_S} s`,
});
