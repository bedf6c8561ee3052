/**
 * No secret ever reaches a log line or an error line: every secret environment variable is set to a
 * marker, and commands that log their configuration, their dependencies' failures and their errors
 * run at LOG_LEVEL=trace (kafkajs and all). Their whole stderr and stdout must not contain a marker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../../pipeline/config.js';
import { buildOnce, runCli } from '../support/cli.js';
import { createWorld, exitWithin, startCli, type World } from '../support/faults.js';
import { waitFor } from '../support/servers.js';

const MARKERS = Object.fromEntries(
  ENV_KEYS.filter((k) => k.secret).map((k) => [k.name, `SECRETMARK${k.name.replace(/_/g, '')}9q7z`]),
);
const markers = Object.values(MARKERS);

let world: World;

beforeAll(async () => {
  buildOnce();
  world = await createWorld('rel_secrets');
});

afterAll(async () => {
  await world?.close();
});

function leaks(text: string): string[] {
  return markers.filter((m) => text.includes(m));
}

describe('secrets stay out of logs and errors', () => {
  it('covers every secret the config knows', () => {
    expect(markers.length).toBeGreaterThanOrEqual(4);
  });

  it('process: a refused ClickHouse password ends in one line without the password', async () => {
    const result = await runCli(['process', '--exit-when-idle'], {
      env: { ...world.env, ...MARKERS, LOG_LEVEL: 'trace', METRICS_PORT: '0' },
      timeoutMs: 120_000,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr.length).toBeGreaterThan(0);
    expect(leaks(result.stderr + result.stdout)).toEqual([]);
  });

  it('process with paper trading: logs the trader and its limits, never the keys', async () => {
    const { CLICKHOUSE_PASSWORD: _unused, ...others } = MARKERS;
    const result = await runCli(['process', '--exit-when-idle'], {
      env: { ...world.env, ...others, LOG_LEVEL: 'trace', METRICS_PORT: '0' },
      timeoutMs: 120_000,
    });
    expect(result.code, result.stderr.slice(-1_000)).toBe(0);
    expect(result.stderr).toContain('trader ready');
    expect(leaks(result.stderr + result.stdout)).toEqual([]);
  });

  it('trade --live: logs the trader, its mode and limits, never the keys', async () => {
    const { CLICKHOUSE_PASSWORD: _unused, ...others } = MARKERS;
    const run = startCli(['trade', '--live'], {
      ...world.env,
      ...others,
      SENTIFLOW_LIVE: 'I_UNDERSTAND',
      EXCHANGE_API_URL: 'http://127.0.0.1:9',
      EXCHANGE_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'trace',
    });
    await waitFor(() => run.stderr().includes('trader ready') || run.child.exitCode !== null, {
      timeoutMs: 60_000,
      what: 'the trader to start',
    });
    run.child.kill('SIGTERM');
    await exitWithin(run, 60_000);
    expect(run.stderr()).toContain('"mode":"live"');
    expect(leaks(run.stderr())).toEqual([]);
  });

  it('ingest from an X that refuses connections: reconnect logs carry no token', async () => {
    const run = startCli(['ingest', '--source', 'x-stream'], {
      ...world.env,
      ...MARKERS,
      CLICKHOUSE_PASSWORD: '',
      X_API_URL: 'https://127.0.0.1:9',
      LOG_LEVEL: 'trace',
    });
    await waitFor(() => run.stderr().includes('reconnect') || run.child.exitCode !== null, {
      timeoutMs: 60_000,
      what: 'a reconnect',
    });
    run.child.kill('SIGINT');
    await exitWithin(run, 60_000);
    expect(run.stderr().length).toBeGreaterThan(0);
    expect(leaks(run.stderr())).toEqual([]);
  });
});
