/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core. Every request other
 * than the report file itself is refused and counted, so a chart that needed the network would show.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../../sinks/reports/report-html.js';
import { fixtureResult } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentiflow-report-'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('renders every chart and the summary without console errors or network requests', async () => {
    const file = join(dir, 'report.html');
    await writeFile(file, reportHtml(fixtureResult()));
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const url = pathToFileURL(file).href;
    await page.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    await page.goto(url);
    // Equity, one sentiment-vs-price chart per symbol (2), drawdown.
    await page.waitForSelector('body[data-charts="4"]', { timeout: 15_000 });
    expect(await page.locator('canvas').count()).toBe(4);
    const titles = await page.locator('.u-title').allTextContents();
    expect(titles).toEqual([
      'Equity vs buy-and-hold',
      'BTC: hourly weighted sentiment vs price',
      'ETH: hourly weighted sentiment vs price',
      'Drawdown (%)',
    ]);
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
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(20_000);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('keeps text from the data out of the markup (escaped)', () => {
    const result = fixtureResult();
    const html = reportHtml({ ...result, runId: '<img src=x onerror=alert(1)>' });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });
});
