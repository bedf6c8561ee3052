/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core. Every request other
 * than the report file itself is refused and counted, so a chart that needed the network would show.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../../sinks/reports/report-html.js';
import { launchChromium, openOffline, screenshotAndClose } from './browser.js';
import { fixtureResult, multiYearResult } from './fixture.js';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentiflow-report-'));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('renders every chart and the summary without console errors or network requests', async () => {
    const file = join(dir, 'report.html');
    await writeFile(file, reportHtml(fixtureResult()));
    const opened = await openOffline(browser, file);
    const { page } = opened;
    // Equity, per symbol (2) price with sentiment and the volume under it, drawdown.
    await page.waitForSelector('body[data-charts="6"]', { timeout: 15_000 });
    expect(await page.locator('canvas').count()).toBe(6);
    const titles = await page.locator('.u-title').allTextContents();
    expect(titles).toEqual([
      'Equity vs buy-and-hold',
      'BTC: price and sentiment (EMA 24 h)',
      'BTC: social volume (tweets per hour)',
      'ETH: price and sentiment (EMA 24 h)',
      'ETH: social volume (tweets per hour)',
      'Drawdown (%)',
    ]);
    expect(await page.locator('#monthly tr').count()).toBe(3);
    const legend = await page.locator('.u-legend').first().textContent();
    expect(legend).toContain('Buy and hold');
    expect(await page.locator('#summary th').allTextContents()).toContain('Sharpe (annualised)');
    expect(await page.locator('#summary').textContent()).toContain('-9.70%');
    // Something was drawn: the equity canvas is not blank.
    // Runs in the page (a string: this project's TypeScript has no DOM types).
    const inked = await page.evaluate<number>(`(() => {
      const canvas = document.querySelector('#equity canvas');
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n++;
      return n;
    })()`);
    expect(inked).toBeGreaterThan(1_000);
    await screenshotAndClose(opened, dir, 'report.png');
  }, 30_000);

  it('stays readable over three years: smoothed, downsampled, every fill kept as a marker', async () => {
    const result = multiYearResult(3);
    const file = join(dir, 'report-3y.html');
    await writeFile(file, reportHtml(result, { emaHours: 48 }));
    const opened = await openOffline(browser, file, 1400);
    const { page } = opened;
    await page.waitForSelector('body[data-charts="4"]', { timeout: 30_000 });
    const bin = Math.ceil(result.hours.BTC!.length / 2_000);
    const titles = await page.locator('.u-title').allTextContents();
    expect(titles[1]).toBe(`BTC: price and sentiment (EMA 48 h) (each point ${bin} h)`);
    const data = await page.evaluate<{ buys: (number | null)[]; sells: (number | null)[]; t: number[] }>(
      `JSON.parse(document.getElementById('report-data').textContent).symbols[0]`,
    );
    expect(data.t.length).toBeLessThanOrEqual(2_000);
    const start = result.hours.BTC![0]!.time;
    const binsOf = (side: 'buy' | 'sell') =>
      new Set(
        result.trades
          .filter((t) => t.side === side)
          .map((t) => Math.floor((t.decidedAt - start) / 3_600_000 / bin)),
      );
    const marked = (values: (number | null)[]) => new Set(values.flatMap((v, i) => (v === null ? [] : [i])));
    expect(marked(data.buys)).toEqual(binsOf('buy'));
    expect(marked(data.sells)).toEqual(binsOf('sell'));
    expect(binsOf('buy').size).toBeGreaterThan(40);
    // 2018 to 2020: two rows per year (strategy, buy and hold) under a header.
    expect(await page.locator('#monthly tr').count()).toBe(1 + 2 * 3);
    await screenshotAndClose(opened, dir, 'report-3y.png');
  }, 60_000);

  it('keeps text from the data out of the markup (escaped)', () => {
    const result = fixtureResult();
    const html = reportHtml({ ...result, runId: '<img src=x onerror=alert(1)>' });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });
});
