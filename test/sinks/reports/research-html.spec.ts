/**
 * research.html in a real browser (Debian's chromium through playwright-core), over the report of a
 * planted lead: every chart drawn, no console error, no request beyond the file itself.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, DEFAULT_RESEARCH_SETTINGS } from '../../../pipeline/research/analyze.js';
import type { MetricRow } from '../../../pipeline/research/hourly-frame.js';
import { createRandom } from '../../../pipeline/sources/synthetic-random.js';
import type { Candle } from '../../../sinks/prices/candle.js';
import { researchHtml } from '../../../sinks/reports/research-html.js';
import type { ResearchReport } from '../../../sinks/reports/research-types.js';
import { launchChromium, openOffline, screenshotAndClose } from './browser.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2019, 0, 1);
const HOURS = 2 * 365 * 24;

/** Two years of two symbols; BTC's mood leads its returns by 2 hours, ETH's does not. */
function report(): ResearchReport {
  const random = createRandom(3);
  const inputs = ['BTC', 'ETH'].map((symbol, s) => {
    const rows: MetricRow[] = [];
    const candles: Candle[] = [];
    const moods: number[] = [];
    let close = 100 * (s + 1);
    for (let h = -60; h < HOURS + 60; h++) {
      const mood = random() - 0.5;
      moods.push(mood);
      const lead = symbol === 'BTC' ? (moods[moods.length - 3] ?? 0) * 0.004 : 0;
      const open = close;
      close = open * Math.exp(lead + 0.004 * (random() - 0.5));
      candles.push({ openTime: T0 + h * HOUR, open, high: open, low: close, close, volume: 1 });
      if (h % 97 === 0) continue; // hours without tweets
      const volume = 20 + Math.round(30 * random());
      rows.push({
        symbol,
        hour: T0 + h * HOUR,
        volume,
        authors: volume - 3,
        positive: Math.round(volume * (0.4 + mood / 2)),
        negative: Math.round(volume * (0.4 - mood / 2)),
        weightedMean: mood,
        dominance: s === 0 ? 0.6 : 0.4,
      });
    }
    return { symbol, market: `${symbol}/USDT`, rows, candles };
  });
  return analyze(T0, T0 + HOURS * HOUR, inputs, { ...DEFAULT_RESEARCH_SETTINGS, resamples: 300 });
}

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentiflow-research-'));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('research.html in headless Chromium', () => {
  it('draws the lead-lag and quintile charts and the IC tables, offline and without errors', async () => {
    const result = report();
    const file = join(dir, 'research.html');
    await writeFile(file, researchHtml(result));
    const opened = await openOffline(browser, file, 1400);
    const { page } = opened;
    // Per symbol (2): one lead-lag chart and one quintile chart per horizon (3).
    await page.waitForSelector('body[data-charts="8"]', { timeout: 30_000 });
    const titles = await page.locator('.u-title').allTextContents();
    expect(titles[0]).toBe('BTC: IC by lag (right of 0: the signal leads price)');
    expect(titles[1]).toBe('BTC: mean 1 h forward return per quintile of the signal (bp)');
    expect(await page.locator('table.ics').count()).toBe(2);
    // The planted lead shows: BTC's sentiment peaks at +2 h, its interval above 0, its 4 h IC green.
    const peaks = await page.locator('table.peaks').first().locator('tr').nth(1).textContent();
    expect(peaks).toMatch(/^weighted sentiment\+2 h \(leads by 2 h\)0\.\d{3}\[0\.\d{3}, 0\.\d{3}\]/);
    expect(await page.locator('table.ics').first().locator('td.up').count()).toBeGreaterThan(0);
    await screenshotAndClose(opened, dir, 'research.png');
  }, 60_000);

  it('escapes text from the data', () => {
    const result = report();
    const html = researchHtml({ ...result, symbols: [{ ...result.symbols[0]!, market: '<img src=x>' }] });
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('&#60;img src=x&#62;');
  });
});
