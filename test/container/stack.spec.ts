/**
 * The README's quick start, run for real: the compose stack on locally built images (host network, since
 * dockerd here has no bridge), analytics within the deadline, the README's query commands, the switch to
 * INGEST_SOURCE=bluesky (against a local Jetstream), SIGTERM handling, and nothing left behind.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readTopicRange, type TopicRecord } from '../../pipeline/ingest/read-topic.js';
import { postKey } from '../../pipeline/sources/post-key.js';
import { type FakeJetstream, postEvent, startFakeJetstream } from '../support/fake-jetstream.js';
import { metricSamples, pollUntil, quickStart, sh, shWithInput } from './support.js';

const run = promisify(execFile);
const images = inject('containerImages');
const project = 'sentiflow-container-test';
const hostNetwork = '-f docker/compose.yml -f docker/compose.host-network.yml';
// The stack's listeners on the host network: Kafka, ClickHouse, the pipeline's metrics.
const ports = [9092, 9093, 8123, 9000, 19464, 19465];
/** Analytics must appear this soon after `up --wait` returns (issue 8: within a minute). */
const ANALYTICS_DEADLINE_MS = 60_000;

// The test's own project (its own volumes), images from prepare.sh, and no X token or INGEST_SOURCE
// whatever docker/.env says, so ingest runs the synthetic source. The shell environment wins over
// docker/.env in compose.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  COMPOSE_PROJECT_NAME: project,
  SENTIFLOW_IMAGE: images.SENTIFLOW_IMAGE,
  NODE_IMAGE: images.NODE_IMAGE,
  KAFKA_IMAGE: images.KAFKA_IMAGE,
  CLICKHOUSE_IMAGE: images.CLICKHOUSE_IMAGE,
  CLICKHOUSE_DATABASE: 'sentiflow',
  X_BEARER_TOKEN: '',
  INGEST_SOURCE: '',
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

  // docker/README "Live posts without an account": a user sets INGEST_SOURCE=bluesky and has nothing
  // else. Jetstream here is a local fake speaking its wire format on 127.0.0.1 (the containers share the
  // host network); its URL goes into BLUESKY_JETSTREAM_HOSTS, as a user points ingest at another host.
  // `up -d ingest` recreates ingest (and re-runs init, idempotent, before it); Kafka, ClickHouse and
  // process keep running from the synthetic tests.
  describe('with INGEST_SOURCE=bluesky and no account anywhere', () => {
    const kafka = new Kafka({
      clientId: 'container-test',
      brokers: ['127.0.0.1:9092'],
      logLevel: logLevel.NOTHING,
    });
    const ingestMetrics = 'http://127.0.0.1:19464/metrics';
    let jetstream: FakeJetstream;
    let heartbeat: NodeJS.Timeout | undefined;
    const uri = (n: number) =>
      `at://did:plc:author${n % 7}/app.bsky.feed.post/3lpost${String(n).padStart(6, '0')}`;
    // Three posts the built-in rules (BTC, ETH, SOL) match, three they do not (DOGE and XRP are
    // symbols process knows, but no default rule names them), all in English and distinct.
    const posts = [
      { n: 1, text: 'Bitcoin looks strong into the weekly close, $BTC holding above support', tag: 'BTC' },
      { n: 2, text: 'Lovely quiet morning here: fresh bread, strong coffee and a long walk by the river' },
      {
        n: 3,
        text: 'Ethereum staking yields keep climbing and the $ETH upgrade shipped right on time',
        tag: 'ETH',
      },
      { n: 4, text: 'Dogecoin memes are back, $DOGE trending on my timeline all afternoon' },
      { n: 5, text: 'Ripple traders arguing about $XRP and the court case again tonight' },
      {
        n: 6,
        text: 'Solana validators handled record throughput today while $SOL fees stayed tiny',
        tag: 'SOL',
      },
    ];
    const matching = posts.filter((p) => p.tag !== undefined);
    /** What each matching post was sent as, by its Kafka key (post-key.ts), and the time its records start at. */
    const sent = new Map<string, { payload: string; createdAtMs: number }>();
    let fromMs = 0;

    const sourceCounts = async (): Promise<Record<string, number>> => {
      const samples = await metricSamples(ingestMetrics, 'sentiflow_source_events_total');
      return Object.fromEntries(
        samples.filter((s) => s.labels.source === 'bluesky').map((s) => [s.labels.outcome, s.value]),
      );
    };

    beforeAll(async () => {
      jetstream = await startFakeJetstream();
      // The real Jetstream never goes quiet (hundreds of events a second); an account event a second
      // keeps the fake as busy, so the stall watchdog (30 s) has no reason to reconnect mid-test.
      heartbeat = setInterval(() => {
        jetstream.publish({
          did: 'did:plc:heartbeat',
          time_us: Date.now() * 1000,
          kind: 'account',
          account: { active: true, did: 'did:plc:heartbeat', seq: 1, time: new Date().toISOString() },
        });
      }, 1_000);
    });

    afterAll(async () => {
      clearInterval(heartbeat);
      await jetstream?.close();
    });

    it('connects ingest to Jetstream with the source and the host list set in the environment', async () => {
      const blueskyEnv: NodeJS.ProcessEnv = {
        ...env,
        INGEST_SOURCE: 'bluesky',
        BLUESKY_JETSTREAM_HOSTS: jetstream.url,
        MASTODON_TOKEN: '',
      };
      const started = Date.now();
      await sh(`docker compose ${hostNetwork} up -d ingest`, blueskyEnv, 300_000);
      await withLogs(jetstream.until((s) => s.openSockets === 1, 120_000));
      timings.blueskyConnectMs = Date.now() - started;
      // A fresh state topic: no stored cursor, so Jetstream's live stream; posts only.
      expect(jetstream.connections).toEqual([
        { cursor: null, wantedCollections: ['app.bsky.feed.post'], behaviour: 'serve' },
      ]);
      const tokens = await compose(`exec -T ingest sh -c 'echo "[$X_BEARER_TOKEN][$MASTODON_TOKEN]"'`);
      expect(tokens.stdout.trim()).toBe('[][]');
    });

    it('writes the posts the built-in rules match to tweets.raw as delivered, and counts the rest', async () => {
      const base = Date.now() * 1000;
      fromMs = Math.floor(base / 1000) - 1_000;
      for (const { n, text, tag } of posts) {
        const event = postEvent(n, text, { timeUs: base + n * 1000 });
        jetstream.publish(event);
        if (tag !== undefined)
          sent.set(postKey(text, uri(n)), {
            payload: JSON.stringify(event),
            createdAtMs: Math.floor((base + n * 1000) / 1000),
          });
      }
      jetstream.publish({
        did: 'did:plc:author1',
        time_us: base + 7_000,
        kind: 'identity',
        identity: {
          did: 'did:plc:author1',
          handle: 'someone.bsky.social',
          seq: 2,
          time: new Date().toISOString(),
        },
      });

      const counts = await withLogs(
        pollUntil(
          async () => {
            const c = await sourceCounts();
            return (c.matched ?? 0) + (c.unmatched ?? 0) >= posts.length && (c.identity ?? 0) >= 1
              ? c
              : undefined;
          },
          { timeoutMs: 60_000, what: 'bluesky events counted on /metrics' },
        ),
      );
      expect(counts).toMatchObject({ matched: 3, unmatched: 3, identity: 1 });
      expect(counts.rejected ?? 0).toBe(0);
      expect(counts.repeat ?? 0).toBe(0);
      const tags = await metricSamples(ingestMetrics, 'sentiflow_source_matched_total');
      expect(
        Object.fromEntries(
          tags.filter((t) => t.labels.source === 'bluesky').map((t) => [t.labels.tag, t.value]),
        ),
      ).toEqual({ BTC: 1, ETH: 1, SOL: 1 });

      // tweets.raw since the first post (the synthetic envelopes' event times lie months before).
      const records = await withLogs(
        pollUntil(
          async () => {
            const found: TopicRecord[] = [];
            await readTopicRange(kafka, {
              topic: 'tweets.raw',
              brokers: ['127.0.0.1:9092'],
              fromMs,
              onRecord: (r) => void found.push(r),
            });
            return found.length >= matching.length ? found : undefined;
          },
          { timeoutMs: 60_000, what: 'the matching posts in tweets.raw' },
        ),
      );
      expect(records.map((r) => r.key).sort()).toEqual([...sent.keys()].sort());
      for (const r of records) {
        const expected = sent.get(r.key ?? '');
        expect(r.headers.source).toBe('bluesky');
        expect(r.value?.toString('utf8')).toBe(expected?.payload);
        expect(r.timestamp).toBe(expected?.createdAtMs);
      }
    });

    it('scores them into ClickHouse tweets with source bluesky; ingest stays healthy', async () => {
      const from = Date.now();
      const rows = await withLogs(
        pollUntil(
          async () => {
            const out = await clickhouse(
              "SELECT DISTINCT tweet_id, symbol, source FROM sentiflow.tweets WHERE source = 'bluesky'",
            );
            const lines = out === '' ? [] : out.split('\n');
            return lines.length >= matching.length ? lines : undefined;
          },
          { timeoutMs: 180_000, what: 'the bluesky posts in ClickHouse tweets' },
        ),
      );
      timings.blueskyClickHouseMs = Date.now() - from;
      expect(rows.sort()).toEqual(matching.map((p) => `${uri(p.n)}\t${p.tag}\tbluesky`).sort());
      const health = await pollUntil(
        async () => {
          const { stdout } = await compose('ps --format "{{.State}} {{.Health}}" ingest');
          return stdout.trim() === 'running healthy' ? stdout.trim() : undefined;
        },
        { timeoutMs: 60_000, what: 'ingest healthy' },
      );
      expect(health).toBe('running healthy');
      process.stderr.write(
        `[container] bluesky: ingest connected ${timings.blueskyConnectMs} ms after up, scored into ClickHouse within ${timings.blueskyClickHouseMs} ms\n`,
      );
    });
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
