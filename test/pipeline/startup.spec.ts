/**
 * What every sentiflow command imports before it runs: ccxt alone took ~1.1 s of a ~1.9 s start-up, for
 * commands that never trade (sinks/exchange/load-ccxt.ts loads it on first use instead); the whole of
 * natural would take longer still and print to stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'sentiflow-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every URL `sentiflow <args>` resolves (run from source through tsx), and its exit status. */
function importsOf(args: readonly string[]): { urls: string[]; status: number | null } {
  const file = join(dir, `${args.join('_').replace(/\W/g, '')}.txt`);
  const hooks = pathToFileURL(join(root, 'test', 'support', 'record-imports.mjs')).href;
  const register = `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(hooks)})`;
  const run = spawnSync(
    process.execPath,
    ['--import', register, '--import', 'tsx', join(root, 'pipeline', 'bin.ts'), ...args],
    { cwd: root, env: { ...process.env, RECORD_IMPORTS: file }, encoding: 'utf8', timeout: 60_000 },
  );
  return { urls: readFileSync(file, 'utf8').split('\n').filter(Boolean), status: run.status };
}

const isCcxt = (url: string): boolean => url.includes('/node_modules/ccxt/');

describe('start-up', { timeout: 90_000 }, () => {
  it('imports no ccxt and only the tokenizer of natural for a command that does not trade', () => {
    const { urls, status } = importsOf(['process', '--help']);
    expect(status).toBe(0);
    // The recorder saw the command's own graph (a hook that recorded nothing would pass anything).
    expect(urls.some((u) => u.endsWith('/pipeline/commands/process.ts'))).toBe(true);
    expect(urls.some((u) => u.includes('/node_modules/kafkajs/'))).toBe(true);
    expect(urls.filter(isCcxt).slice(0, 3)).toEqual([]);
    // natural's index loads every module of it (~1.9 s) and dotenv, which prints to stdout, where
    // commands write their JSON results; the scorer needs its RegexpTokenizer only.
    const natural = urls.filter((u) => u.includes('/node_modules/natural/'));
    expect(natural.length).toBeGreaterThan(0);
    expect(natural.every((u) => u.includes('/natural/lib/natural/tokenizers/'))).toBe(true);
  });

  it('loads the ccxt adapters when asked', async () => {
    const { loadCcxtAdapters } = await import('../../sinks/exchange/load-ccxt.js');
    const adapters = await loadCcxtAdapters();
    expect(Object.values(adapters).every((f) => typeof f === 'function')).toBe(true);
  });
});
