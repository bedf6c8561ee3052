/**
 * The backtest command as a user runs it (in-process, mounted under a root command like pipeline/cli.ts
 * does): flags parsed, one JSON line of results on stdout, the sweep's ranked table with its
 * overfitting warning, one-line errors for bad input.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../lib/errors.js';
import { createBacktestCommand } from '../../pipeline/commands/backtest.js';
import type { Candle } from '../../sinks/prices/candle.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import { createProcessWorld, type ProcessWorld, syntheticMessages } from '../support/process-fixture.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 1, 2, 0, 0, 0);
let world: ProcessWorld;
let out: string;

async function sentiflow(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const program = new Command('sentiflow').option('--config <file>').option('--log-level <level>');
  program.addCommand(createBacktestCommand());
  program.exitOverride();
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'sentiflow', '--log-level', 'silent', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { stdout, stderr };
}

beforeAll(async () => {
  world = await createProcessWorld('btcli');
  out = await mkdtemp(join(tmpdir(), 'sentiflow-btcli-'));
  // commandContext reads the environment once: point it at this world.
  Object.assign(process.env, world.env);
  await world.producer.send(
    world.config.topics.tweetsRaw,
    syntheticMessages({ seed: 5, count: 3_000, startTime: START, tweetsPerSecond: 0.2, symbols: ['BTC'] }),
  );
  const candles: Candle[] = [];
  for (let t = START - 2 * HOUR, p = 30_000; t <= START + 12 * HOUR; t += HOUR, p *= 1.001) {
    candles.push({ openTime: t, open: p, high: p * 1.002, low: p * 0.998, close: p * 1.001, volume: 1 });
  }
  await createClickHouseCandleStore(world.clickhouse, { url: world.config.clickhouse.url }).write(
    { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
    candles,
    'test',
  );
}, 120_000);

afterAll(async () => {
  await world?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

const period = [
  '--from',
  new Date(START - HOUR).toISOString(),
  '--to',
  new Date(START + 5 * HOUR).toISOString(),
];

describe('sentiflow backtest (command)', () => {
  it('prints the summary as one JSON line and writes the reports to --out', async () => {
    const { stdout } = await sentiflow([
      'backtest',
      ...period,
      '--strategy',
      'threshold',
      '--param',
      'threshold=0.05,minCount=5',
      '--fee',
      '7.5',
      '--out',
      out,
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(result).toMatchObject({ strategy: 'threshold', symbols: ['BTC'], feeBps: 7.5, combinations: 1 });
    expect(result.params).toEqual({ threshold: 0.05, minCount: 5 });
    expect(result.tweets.consumed).toBe(3_000);
    expect(result.codeVersion).toMatch(/^0\.1\.0/);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.runId).toBe(result.runId);
  });

  it('sweeps value lists, prints a ranked table and warns about overfitting', async () => {
    const { stdout, stderr } = await sentiflow([
      'backtest',
      ...period,
      '--strategy',
      'threshold',
      '--param',
      'threshold=0.05,0.1,0.2',
      '--param',
      'lookback=1,2',
      '--param',
      'minCount=5',
      '--no-record',
      '--out',
      out,
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^rank\s+params/);
    expect(lines.slice(1, 7).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(JSON.parse(lines[7]!).combinations).toBe(6);
    expect(stderr).toMatch(/warning: 6 parameter combinations were tried/);
  });

  it('sweeps the surge strategy (sentiment and volume) like any other', async () => {
    const { stdout, stderr } = await sentiflow([
      'backtest',
      ...period,
      '--strategy',
      'surge',
      '--param',
      'threshold=0.5,1',
      '--param',
      'volumeThreshold=-1,0',
      '--param',
      'lookback=3,minHistory=2,minCount=5,cooldown=0',
      '--no-record',
      '--out',
      out,
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^rank\s+params/);
    expect(lines.slice(1, 5).every((l) => /threshold=(0\.5|1) volumeThreshold=(-1|0)/.test(l))).toBe(true);
    const best = JSON.parse(lines[5]!);
    expect(best).toMatchObject({ strategy: 'surge', combinations: 4 });
    expect(Object.keys(best.params).sort()).toEqual([
      'cooldown',
      'lookback',
      'minCount',
      'minHistory',
      'threshold',
      'volumeThreshold',
    ]);
    expect(stderr).toMatch(/warning: 4 parameter combinations were tried/);
  });

  it('refuses a bad parameter with one line naming it', async () => {
    const error = await sentiflow(['backtest', ...period, '--param', 'lookback=0']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'strategy zscore: lookback must be an integer in [2, 2160], got "0"',
    );
  });
});
