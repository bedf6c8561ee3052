/**
 * `sentiflow research` against the real ClickHouse 18.16 of the global setup: hourly buckets whose
 * BTC mood leads the stored candles by LAG hours, plus ETH (whose volume sets BTC's dominance), read
 * back through the command; the report names the lag with an interval above 0, counts the hours it
 * left out, and writes research.json and research.html.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/errors.js';
import { createResearchCommand } from '../../pipeline/commands/research.js';
import { createRandom } from '../../pipeline/sources/synthetic-random.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import type { ResearchReport } from '../../sinks/reports/research-types.js';
import { testDatabase } from '../support/test-database.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const HOURS = 1_500;
const LAG = 2;
const db = testDatabase('it_research');
const connection = { url: db.url, user: db.user, password: db.password, database: db.name };
let dir: string;

function bucketRow(symbol: string, h: number, count: number, mood: number) {
  const positive = Math.round(count * (0.4 + mood / 2));
  return {
    symbol,
    bucket_start: (T0 + h * HOUR) / 1000,
    count,
    score_sum: mood * count,
    score_mean: mood,
    weight_sum: count,
    weighted_score_sum: mood * count,
    weighted_mean: mood,
    positive,
    negative: Math.round(count * 0.2),
    neutral: count - positive - Math.round(count * 0.2),
    distinct_authors: count - 1,
    first_event_ms: T0 + h * HOUR,
    last_event_ms: T0 + h * HOUR + 1,
    version: count,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentiflow-research-cli-'));
  await db.migrate();
  const random = createRandom(11);
  const rows: ReturnType<typeof bucketRow>[] = [];
  const moods = new Map<number, number>();
  for (let h = -60; h < HOURS + 60; h++) {
    const mood = random() - 0.5;
    moods.set(h, mood);
    // Every 50th hour has no BTC tweets: excluded and counted, not filled.
    if (h % 50 !== 0) rows.push(bucketRow('BTC', h, 30 + Math.floor(20 * random()), mood));
    rows.push(bucketRow('ETH', h, 40, random() - 0.5));
  }
  await insertRows(db.client, 'sentiment_hourly', rows, { url: db.url });
  const candles = [];
  let close = 40_000;
  for (let h = -80; h < HOURS + 80; h++) {
    const open = close;
    close = open * Math.exp(0.006 * (moods.get(h - LAG) ?? 0) + 0.003 * (random() - 0.5));
    if (h === 733) continue; // a missing candle, as real data has: no 1 h return from 732 or 733
    candles.push({ openTime: T0 + h * HOUR, open, high: open, low: close, close, volume: 1 });
  }
  const store = createClickHouseCandleStore(db.client, { url: db.url });
  await store.write({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, candles, 'test');
}, 120_000);

afterAll(async () => {
  await db.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}

async function research(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const command = createResearchCommand({
    clickhouse: connection,
    exchange: 'binance',
    stdout: stdout.stream,
    stderr: stderr.stream,
    now: () => T0 + HOURS * HOUR,
  });
  await command.parseAsync(args, { from: 'user' });
  return { stdout: stdout.text(), stderr: stderr.text() };
}

const FROM = new Date(T0).toISOString();
const TO = new Date(T0 + HOURS * HOUR).toISOString();

describe('sentiflow research on ClickHouse 18.16', () => {
  it('finds the planted lead, counts what it left out, writes JSON and HTML', async () => {
    const { stdout, stderr } = await research([
      '--from',
      FROM,
      '--to',
      TO,
      '--resamples',
      '300',
      '--out',
      dir,
    ]);
    const report = JSON.parse(stdout) as ResearchReport;
    // ETH has tweets but no candles: left out with the reason, BTC analysed.
    expect(report.symbols.map((s) => s.symbol)).toEqual(['BTC']);
    expect(stderr).toContain('research: left out ETH: no ETH/USDT candles of binance in the period');
    const btc = report.symbols[0]!;
    const sentiment = btc.signals.find((s) => s.signal === 'sentiment')!;
    expect(sentiment.leadLag.peak?.lag).toBe(LAG);
    expect(sentiment.leadLag.peak!.interval!.low).toBeGreaterThan(0);
    expect(btc.hours).toBe(HOURS);
    expect(btc.hoursWithTweets).toBe(HOURS - HOURS / 50);
    expect(btc.hoursWithCandles).toBe(HOURS - 1);
    const oneHour = sentiment.horizons[0]!;
    expect(oneHour.excluded).toEqual({ noTweets: HOURS / 50, noCandles: 2, noSignal: 0 });
    expect(oneHour.n).toBe(HOURS - HOURS / 50 - 2);
    // Dominance from SQL: BTC's share of BTC + ETH tweets in each hour.
    const dominance = btc.signals.find((s) => s.signal === 'dominance')!;
    expect(dominance.horizons[0]!.n).toBe(oneHour.n);
    const written = JSON.parse(await readFile(join(dir, 'research.json'), 'utf8')) as ResearchReport;
    expect(written).toEqual(report);
    expect(await readFile(join(dir, 'research.html'), 'utf8')).toContain(
      '<h2>BTC <small>BTC/USDT</small></h2>',
    );
  }, 60_000);

  it('prints a table on request', async () => {
    const { stdout } = await research([
      '--from',
      FROM,
      '--to',
      TO,
      '--symbols',
      'BTC',
      '--resamples',
      '100',
      '--format',
      'table',
    ]);
    expect(stdout).toMatch(
      /^BTC \(BTC\/USDT\), 2024-01-01T00:00 \.\. .*: 1500 hours, 1470 with tweets, 1499 with candles$/m,
    );
    expect(stdout).toMatch(/^weighted sentiment +1h +-?0\.\d{4}[ *] +\[/m);
    expect(stdout).toContain(`weighted sentiment: strongest at lag +${LAG} h, leads price by ${LAG} h`);
  }, 60_000);

  it.each([
    [['--from', FROM, '--symbols', 'ETH'], 'research: no ETH/USDT candles of binance in the period'],
    [['--from', FROM, '--horizons', '90m'], '--horizons: "90m" is not a whole number of hours'],
    [['--from', FROM, '--symbols', "BTC') OR 1=1"], 'is not a symbol'],
    [['--from', FROM, '--resamples', '5'], '--resamples: "5" is not a whole number from 100'],
  ])('refuses %j with one line', async (args, message) => {
    const error = await research(args).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
  });
});
