/**
 * The README's quick start, run for real: the compose stack on locally built images (host network, since
 * dockerd here has no bridge), analytics within the deadline, the README's query commands, SIGTERM
 * handling, and nothing left behind.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollUntil, quickStart, sh, shWithInput } from './support.js';

const run = promisify(execFile);
const images = inject('containerImages');
const project = 'sentiflow-container-test';
const hostNetwork = '-f docker/compose.yml -f docker/compose.host-network.yml';
// The stack's listeners on the host network: Kafka, ClickHouse, the pipeline's metrics.
const ports = [9092, 9093, 8123, 9000, 19464, 19465];
/** Analytics must appear this soon after `up --wait` returns (issue 8: within a minute). */
const ANALYTICS_DEADLINE_MS = 60_000;

// The test's own project (its own volumes), images from prepare.sh, and no X token whatever docker/.env
// says, so ingest runs the synthetic source. The shell environment wins over docker/.env in compose.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  COMPOSE_PROJECT_NAME: project,
  SENTIFLOW_IMAGE: images.SENTIFLOW_IMAGE,
  NODE_IMAGE: images.NODE_IMAGE,
  KAFKA_IMAGE: images.KAFKA_IMAGE,
  CLICKHOUSE_IMAGE: images.CLICKHOUSE_IMAGE,
  CLICKHOUSE_DATABASE: 'sentiflow',
  X_BEARER_TOKEN: '',
};
const compose = (args: string, timeoutMs?: number) =>
  sh(`docker compose ${hostNetwork} ${args}`, env, timeoutMs);

/** The quick start as the README has it, with the host-network override after docker/compose.yml. */
const forThisMachine = (line: string): string =>
  line.replace('-f docker/compose.yml', `-f docker/compose.yml -f docker/compose.host-network.yml`);

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function clickhouse(query: string): Promise<string> {
  const { stdout } = await compose(`exec -T clickhouse clickhouse-client --query "${query}"`, 30_000);
  return stdout.trim();
}

async function projectLeftovers(): Promise<string[]> {
  const label = `label=com.docker.compose.project=${project}`;
  const [containers, volumes] = await Promise.all([
    run('docker', ['ps', '-aq', '--filter', label]),
    run('docker', ['volume', 'ls', '-q', '--filter', label]),
  ]);
  return [...containers.stdout.split('\n'), ...volumes.stdout.split('\n')].filter((l) => l.trim() !== '');
}

/** On failure, the pipeline's last log lines go with the error. */
async function withLogs<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const logs = await compose('logs --no-color --tail 15 ingest process').then(
      (r) => r.stdout,
      (e: Error) => e.message,
    );
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
}

describe('the compose stack (README quick start)', () => {
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    await compose('down -v --remove-orphans', 120_000); // a previous run that died half-way
    const busy = [];
    for (const port of ports) if (!(await portFree(port))) busy.push(port);
    if (busy.length > 0) throw new Error(`ports ${busy.join(', ')} on 127.0.0.1 are taken: stop that first`);
  });

  afterAll(async () => {
    await compose('down -v --remove-orphans', 120_000).catch(() => undefined);
  });

  it('comes up healthy with the quick-start commands', async () => {
    const lines = quickStart();
    expect(lines).toContain('docker compose -f docker/compose.yml up -d --wait');
    const started = Date.now();
    for (const line of lines) {
      if (line.startsWith('npm ')) continue; // the tests' line: .ci/run installs and runs the suite itself
      await sh(forThisMachine(line), env, 600_000);
    }
    timings.upMs = Date.now() - started;
    const { stdout } = await compose('ps -a --format "{{.Service}} {{.State}} {{.Health}} {{.ExitCode}}"');
    const states = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .map(([service, ...rest]) => [service, rest.join(' ')]),
    );
    expect(states.kafka).toMatch(/^running healthy/);
    expect(states.clickhouse).toMatch(/^running healthy/);
    expect(states.process).toMatch(/^running healthy/);
    expect(states.init).toMatch(/^exited .* 0$/);
  });

  it('writes hourly sentiment and decisions within a minute', async () => {
    const from = Date.now();
    const counts = await withLogs(
      pollUntil(
        async () => {
          const [hourly = 0, signals = 0] = (
            await clickhouse(
              'SELECT (SELECT count() FROM sentiflow.sentiment_hourly), (SELECT count() FROM sentiflow.signals)',
            )
          )
            .split('\t')
            .map(Number);
          return hourly > 0 && signals > 0 ? { hourly, signals } : undefined;
        },
        { timeoutMs: ANALYTICS_DEADLINE_MS, what: 'rows in sentiment_hourly and signals' },
      ),
    );
    timings.analyticsAfterUpMs = Date.now() - from;
    expect(counts.hourly).toBeGreaterThan(0);
    expect(counts.signals).toBeGreaterThan(0);
    const symbols = await clickhouse('SELECT groupUniqArray(symbol) FROM sentiflow.sentiment_hourly');
    expect(symbols).toContain('BTC');
    process.stderr.write(
      `[container] stack up in ${timings.upMs} ms, analytics ${timings.analyticsAfterUpMs} ms later\n`,
    );
  });

  it('answers the README query commands', async () => {
    const { stdout } = await compose(
      'run --rm sentiflow query hourly --symbol BTC --from 2025-12-31 --to 2026-01-02 --format json',
      120_000,
    );
    const rows = stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]?.hour).toMatch(/^(2025-12-31T23|2026-01-01T)/);
  });

  it('keeps the pipeline user to its own database', async () => {
    // The password compose gave ClickHouse (from docker/.env), asked over HTTP like sentiflow does.
    const password = (
      await compose('exec -T clickhouse printenv SENTIFLOW_CLICKHOUSE_PASSWORD')
    ).stdout.trim();
    const asSentiflow = async (database: string, query: string): Promise<string> => {
      const url = `http://127.0.0.1:8123/?database=${database}`;
      const auth = { 'X-ClickHouse-User': 'sentiflow', 'X-ClickHouse-Key': password };
      const res = await fetch(url, { method: 'POST', body: query, headers: auth });
      return `${res.status} ${(await res.text()).trim()}`;
    };
    expect(await asSentiflow('sentiflow', 'SELECT count() > 0 FROM signals')).toBe('200 1');
    await clickhouse('CREATE DATABASE IF NOT EXISTS private_data');
    expect(await asSentiflow('private_data', 'SELECT 1')).toMatch(
      /Access denied|ACCESS_DENIED|Not enough privileges/,
    );
  });

  it("runs every dashboard query as Grafana's read-only user", async () => {
    const dashboard = JSON.parse(readFileSync('docker/grafana/dashboards/sentiflow.json', 'utf8')) as {
      panels: { title: string; targets: { rawSql: string }[] }[];
    };
    const asGrafana = (sql: string) =>
      shWithInput(
        `docker compose ${hostNetwork} exec -T clickhouse sh -c 'clickhouse-client --user grafana --password "$SENTIFLOW_GRAFANA_PASSWORD" --database sentiflow'`,
        env,
        sql,
      ).then(
        (r) => r.stdout,
        (error: Error) => `FAILED ${error.message}`,
      );
    const queries = dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({ title: p.title, sql: t.rawSql })),
    );
    expect(queries.length).toBeGreaterThanOrEqual(6);
    for (const { title, sql } of queries) {
      // Grafana's macros as the plugin expands them, for the whole of 2026 and one symbol.
      const expanded = sql
        .replace(
          /\$__timeFilter\((\w+)\)/g,
          "$1 >= toDateTime('2026-01-01 00:00:00') AND $1 < toDateTime('2027-01-01 00:00:00')",
        )
        .replace(/\$\{symbol:singlequote\}/g, "'BTC'");
      expect(await asGrafana(expanded), title).not.toMatch(/^FAILED/);
    }
    expect(await asGrafana("INSERT INTO signals (decision_id) VALUES ('x')")).toMatch(/^FAILED.*readonly/is);
  });

  it('stops process cleanly on SIGTERM (exit 0 after flushing)', async () => {
    await compose('stop process', 120_000);
    const { stdout } = await compose('ps -a --format "{{.ExitCode}}" process');
    expect(stdout.trim()).toBe('0');
    const logs = await compose('logs --no-color process');
    expect(logs.stdout).toContain('process stopped');
  });

  it('leaves nothing running after down', async () => {
    await compose('down -v --remove-orphans', 120_000);
    expect(await projectLeftovers()).toEqual([]);
    for (const port of ports) expect(await portFree(port)).toBe(true);
  });
});
