/**
 * Opens a generated report in Debian's chromium through playwright-core, refusing and counting every
 * request other than the file itself and collecting console errors, so a page that needed the
 * network or threw shows in the test.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export interface OpenedPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions. */
  readonly errors: string[];
  /** Requests the page tried beyond its own file (all refused). */
  readonly outside: string[];
}

export async function openOffline(browser: Browser, file: string, height = 1600): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1200, height } });
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
  return { page, errors, outside };
}

/**
 * Takes a full-page screenshot (into REPORT_SCREENSHOT_DIR when set, to look at it, else `dir`),
 * checks it is not blank and that the page neither erred nor reached out, and closes the page.
 */
export async function screenshotAndClose(opened: OpenedPage, dir: string, name: string): Promise<void> {
  const shot = join(process.env.REPORT_SCREENSHOT_DIR ?? dir, name);
  await opened.page.screenshot({ path: shot, fullPage: true });
  expect((await stat(shot)).size).toBeGreaterThan(20_000);
  expect(opened.errors).toEqual([]);
  expect(opened.outside).toEqual([]);
  await opened.page.close();
}
