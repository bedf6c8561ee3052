/**
 * Current ClickHouse (26.x, embedded by the npm package chdb): every migration statement, the TTL that
 * `sentiflow migrate` sets there, every shipped analytics query, every SQL example of
 * docs/analytics.md, and prune, run unchanged. The same checks run on 18.16 in query-analytics.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePrune, runPrune } from '../../pipeline/commands/prune.js';
import { loadChdb } from '../../scripts/chdb.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { loadMigrations, migrate } from '../../sinks/clickhouse/migrations.js';
import { applyRetention } from '../../sinks/clickhouse/retention.js';
import { FIXTURE_CHECKS } from '../pipeline/query/analytics-checks.js';
import { H0, SOURCE_ROWS, TABLE_ROWS } from '../pipeline/query/analytics-fixture.js';
import { chdbClient } from '../pipeline/query/chdb-client.js';
import { docsSqlExamples } from '../pipeline/query/docs-sql.js';
import { repoRoot } from '../support/cli.js';

const url = 'chdb://in-process';
const { Session } = loadChdb();
const session = new Session();
const admin = chdbClient(session, 'default');
const db = chdbClient(session, 'sentiflow');

beforeAll(async () => {
  await migrate(admin.client, db.client, { url, database: 'sentiflow' });
  for (const [table, rows] of Object.entries(TABLE_ROWS)) await insertRows(db.client, table, rows, { url });
  for (const [table, rows] of Object.entries(SOURCE_ROWS)) await insertRows(db.client, table, rows, { url });
});

afterAll(() => {
  session.cleanup();
});

describe('current ClickHouse through chdb', () => {
  it('is a 2x ClickHouse release', async () => {
    const [row] = await db.select('SELECT version() AS v');
    expect(String(row?.v)).toMatch(/^2\d\.\d+\./);
  });

  it('ran every statement of every migration file', async () => {
    const names = loadMigrations().map((m) => m.name);
    const recorded = await db.select('SELECT name FROM schema_migrations FINAL ORDER BY version');
    expect(recorded.map((r) => r.name)).toEqual(names);
    const tables = (await db.select('SELECT name FROM system.tables WHERE database = currentDatabase()')).map(
      (r) => r.name,
    );
    expect(tables).toEqual(
      expect.arrayContaining([
        'tweets',
        'sentiment_hourly',
        'signals',
        'intake',
        'dlq_counts',
        'orders',
        'candles',
      ]),
    );
  });

  it('accepts the retention TTL that migrate sets on servers that have TTL', async () => {
    // Its own database: a 90-day TTL would expire the fixture's 2024 rows.
    const ttl = chdbClient(session, 'ttl_test');
    await migrate(admin.client, ttl.client, { url, database: 'ttl_test' });
    const outcome = await applyRetention(ttl.client, { url, days: 90 });
    expect(outcome).toBe('TTL 90 days');
    const [row] = await ttl.select(
      "SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = 'tweets'",
    );
    expect(String(row?.q)).toMatch(/TTL created_at \+ toIntervalDay\(90\)/);
  });

  it.each(FIXTURE_CHECKS)('$name', ({ run }) => run(db.select));

  it.each(docsSqlExamples())('docs/analytics.md example runs: $title', async ({ sql }) => {
    expect((await db.select(sql)).length).toBeGreaterThan(0);
  });

  it('runs every Grafana dashboard query, macros expanded as the plugin does', async () => {
    const dashboard = JSON.parse(
      readFileSync(join(repoRoot, 'docker/grafana/dashboards/sentiflow.json'), 'utf8'),
    ) as {
      panels: { title: string; targets: { rawSql: string }[] }[];
    };
    const queries = dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({ title: p.title, sql: t.rawSql })),
    );
    expect(queries.map((q) => q.title)).toContain('Social dominance per symbol per hour');
    expect(queries.map((q) => q.title)).toEqual(
      expect.arrayContaining(['Posts per source per hour', 'Sentiment per source per hour']),
    );
    for (const { title, sql } of queries) {
      const expanded = sql
        .replace(
          /\$__timeFilter\((\w+)\)/g,
          "$1 >= toDateTime('2024-05-01 00:00:00') AND $1 < toDateTime('2024-05-02 00:00:00')",
        )
        .replace(/\$\{symbol:singlequote\}/g, "'BTC', 'ETH'");
      await expect(db.select(expanded), title).resolves.toBeDefined();
    }
    const dominance = queries.find((q) => q.title === 'Social dominance per symbol per hour')!.sql;
    const rows = await db.select(
      dominance
        .replace(/\$__timeFilter\((\w+)\)/g, '$1 >= toDateTime(0)')
        .replace(/\$\{symbol:singlequote\}/g, "'BTC', 'ETH'"),
    );
    expect(rows.filter((r) => Number(r.dominance) !== 1).map((r) => [r.symbol, Number(r.dominance)])).toEqual(
      [
        ['BTC', 0.375],
        ['ETH', 0.625],
      ],
    );
  });

  it('prune leaves deletion to the TTL unless forced, then deletes old rows only', async () => {
    const scratch = chdbClient(session, 'prune_test');
    await migrate(admin.client, scratch.client, { url, database: 'prune_test' });
    await insertRows(scratch.client, 'tweets', TABLE_ROWS.tweets ?? [], { url });
    await insertRows(scratch.client, 'intake', TABLE_ROWS.intake ?? [], { url });
    const cutoffMs = H0 - 3_600_000;

    const left = await runPrune(scratch.client, { url, cutoffMs });
    expect(left.action).toBe('left-to-ttl');
    expect(describePrune(left, cutoffMs).at(-1)).toMatch(
      /^ClickHouse 2\d\.[\d.]+ expires old rows itself .*nothing deleted\. Use --force to delete now\.$/,
    );
    expect(left.tables).toEqual([
      { table: 'tweets', olderBefore: 1, olderAfter: 1 },
      { table: 'intake', olderBefore: 1, olderAfter: 1 },
    ]);

    const pruned = await runPrune(scratch.client, { url, cutoffMs, force: true, pollMs: 20 });
    expect(pruned).toMatchObject({ action: 'pruned', finished: true });
    expect(pruned.tables.map((t) => t.olderAfter)).toEqual([0, 0]);
    const [kept] = await scratch.select('SELECT count() AS n FROM tweets FINAL');
    expect(Number(kept?.n)).toBe(4);
  });
});
