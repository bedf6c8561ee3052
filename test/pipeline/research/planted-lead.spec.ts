/**
 * Research finds a lead planted in synthetic data and finds none when the mood is shuffled. Synthetic
 * tweets go through the operator chain into hourly buckets; candles are then made so that each hour's
 * return follows the BTC mood of LAG hours before with a chosen STRENGTH (a correlation), plus noise.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Bucket,
  createScoringModel,
  dedupeTweets,
  filterTweets,
  normalizeEnvelopes,
  scoreTweets,
  windowByHour,
} from '../../../operators/index.js';
import { analyze, DEFAULT_RESEARCH_SETTINGS } from '../../../pipeline/research/analyze.js';
import type { MetricRow } from '../../../pipeline/research/hourly-frame.js';
import { generateEnvelopes } from '../../../pipeline/sources/synthetic.js';
import { createRandom } from '../../../pipeline/sources/synthetic-random.js';
import type { Candle } from '../../../sinks/prices/candle.js';
import type { SignalResult } from '../../../sinks/reports/research-types.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const HOURS = 1_200;
const LAG = 3;
const STRENGTH = 0.3;
const GAP = { from: 600, hours: 5 }; // candles missing here, as in real data
const PERIOD = { from: T0 + 60 * HOUR, to: T0 + (HOURS - 60) * HOUR };

async function syntheticBuckets(): Promise<Bucket[]> {
  const payloads = [
    ...generateEnvelopes({
      seed: 20,
      count: Math.round(HOURS * 3600 * 0.016),
      startTime: T0,
      tweetsPerSecond: 0.016,
      symbols: ['BTC', 'ETH'],
    }),
  ].map((e) => JSON.stringify(e));
  const items = await lastValueFrom(
    from(payloads).pipe(
      normalizeEnvelopes(),
      dedupeTweets(),
      filterTweets(),
      scoreTweets(createScoringModel()),
      windowByHour(),
      toArray(),
    ),
  );
  return items.filter((i): i is Bucket => i.kind === 'bucket');
}

/** The metric rows `query metrics` would return, dominance computed here from all symbols' volumes. */
function metricRows(buckets: readonly Bucket[]): MetricRow[] {
  const total = new Map<number, number>();
  for (const b of buckets) total.set(b.start, (total.get(b.start) ?? 0) + b.count);
  return buckets.map((b) => ({
    symbol: b.symbol,
    hour: b.start,
    volume: b.count,
    authors: b.distinctAuthors,
    positive: b.positive,
    negative: b.negative,
    weightedMean: b.weightedMean,
    dominance: b.count / total.get(b.start)!,
  }));
}

/** Hourly candles whose return in hour u is STRENGTH * z(mood at u - LAG) + noise, in units of 1%. */
function plantedCandles(btc: readonly MetricRow[]): Candle[] {
  const moods = btc.map((r) => r.weightedMean);
  const mean = moods.reduce((a, b) => a + b, 0) / moods.length;
  const std = Math.sqrt(moods.reduce((a, b) => a + (b - mean) ** 2, 0) / moods.length);
  const zAt = new Map(btc.map((r) => [r.hour, (r.weightedMean - mean) / std]));
  const random = createRandom(77);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const candles: Candle[] = [];
  let close = 30_000;
  for (let h = -100; h < HOURS + 100; h++) {
    const z = zAt.get(T0 + (h - LAG) * HOUR);
    const r =
      0.01 * (z === undefined ? gaussian() : STRENGTH * z + Math.sqrt(1 - STRENGTH ** 2) * gaussian());
    const open = close;
    close = open * Math.exp(r);
    if (h >= GAP.from && h < GAP.from + GAP.hours) continue;
    candles.push({
      openTime: T0 + h * HOUR,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: 1,
    });
  }
  return candles;
}

/** The same rows with BTC's moods in a random order: no lead left. */
function shuffled(rows: readonly MetricRow[]): MetricRow[] {
  const random = createRandom(5);
  const moods = rows.map((r) => r.weightedMean);
  for (let i = moods.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [moods[i], moods[j]] = [moods[j]!, moods[i]!];
  }
  return rows.map((r, i) => ({ ...r, weightedMean: moods[i]! }));
}

const research = (rows: MetricRow[], candles: Candle[]) =>
  analyze(PERIOD.from, PERIOD.to, [{ symbol: 'BTC', market: 'BTC/USDT', rows, candles }], {
    ...DEFAULT_RESEARCH_SETTINGS,
    horizons: [1, LAG, 24],
  }).symbols[0]!;

let planted: ReturnType<typeof research>;
let control: ReturnType<typeof research>;
const sentiment = (r: typeof planted): SignalResult => r.signals.find((s) => s.signal === 'sentiment')!;

beforeAll(async () => {
  const rows = metricRows(await syntheticBuckets());
  const btc = rows.filter((r) => r.symbol === 'BTC');
  expect(btc.length).toBeGreaterThan(HOURS * 0.95);
  const candles = plantedCandles(btc);
  planted = research(btc, candles);
  control = research(shuffled(btc), candles);
}, 60_000);

describe('research on a planted lead', () => {
  it(`reports sentiment leading price by ${LAG} hours, with an interval that excludes 0`, () => {
    const { peak } = sentiment(planted).leadLag;
    expect(peak?.lag).toBe(LAG);
    expect(peak!.ic).toBeGreaterThan(0.2);
    expect(peak!.ic).toBeLessThan(0.4);
    expect(peak!.interval!.low).toBeGreaterThan(0);
    expect(peak!.interval!.level).toBeCloseTo(1 - 0.05 / 97, 12);
  });

  it('shows the lead in the forward returns of the horizons that contain it', () => {
    const [one, lagged] = sentiment(planted).horizons;
    expect(lagged!.interval!.low).toBeGreaterThan(0);
    expect(Math.abs(one!.ic!)).toBeLessThan(lagged!.ic!);
  });

  it('finds nothing once the mood is shuffled: the intervals contain 0', () => {
    const result = sentiment(control);
    const { peak } = result.leadLag;
    expect(peak!.interval!.low).toBeLessThan(0);
    expect(peak!.interval!.high).toBeGreaterThan(0);
    for (const h of result.horizons) {
      expect(h.interval!.low).toBeLessThan(0);
      expect(h.interval!.high).toBeGreaterThan(0);
    }
  });

  it('excludes and counts the hours without candles, never fills them', () => {
    const h1 = sentiment(planted).horizons[0]!;
    const hours = (PERIOD.to - PERIOD.from) / HOUR;
    // A gap of 5 candles removes the returns that start or end in it: 6 for a 1 h horizon.
    expect(h1.excluded.noCandles).toBe(GAP.hours + 1);
    expect(h1.n + h1.excluded.noTweets + h1.excluded.noCandles + h1.excluded.noSignal).toBe(hours);
    expect(planted.hoursWithCandles).toBe(hours - GAP.hours);
  });
});
