import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RejectedError } from '../../lib/errors.js';
import { createClickHouse, serverFeatures } from '../../sinks/clickhouse/client.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { migrate } from '../../sinks/clickhouse/migrations.js';
import { applyRetention, pruneOlderThan } from '../../sinks/clickhouse/retention.js';
import { testDatabase } from '../support/test-database.js';

const db = testDatabase('it_plumbing');
const { admin, client, url, name: database } = db;
const auth = { user: db.user, password: db.password };

afterAll(() => db.drop());

async function rows<T>(query: string): Promise<T[]> {
  return (await client.query({ query, format: 'JSONEachRow' })).json<T>();
}

describe('ClickHouse plumbing against a real server', () => {
  it('applies the migrations once and nothing on the second run', async () => {
    const first = await migrate(admin, client, { url, database });
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await migrate(admin, client, { url, database });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
    const tables = (
      await rows<{ name: string }>('SELECT name FROM system.tables WHERE database = currentDatabase()')
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining(['tweets', 'sentiment_hourly', 'signals', 'intake', 'dlq_counts']),
    );
  });

  it('refuses a migration that changed after it was applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    const db = `${database}_chk`;
    const scoped = createClickHouse({ url, ...auth, database: db });
    try {
      writeFileSync(join(dir, '0001_t.sql'), 'CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = Log;');
      await migrate(admin, scoped, { url, database: db, dir });
      writeFileSync(join(dir, '0001_t.sql'), 'CREATE TABLE IF NOT EXISTS t (x UInt16) ENGINE = Log;');
      await expect(migrate(admin, scoped, { url, database: db, dir })).rejects.toBeInstanceOf(RejectedError);
    } finally {
      await admin.command({ query: `DROP DATABASE IF EXISTS ${db}` });
      await scoped.close();
    }
  });

  it('inserts rows that replace themselves when written again', async () => {
    const row = {
      symbol: 'BTC',
      created_at: 1_700_000_000,
      created_at_ms: 1_700_000_000_123,
      tweet_id: '42',
      author_id: 'a1',
      author_username: 'alice',
      author_followers: 10,
      lang: 'en',
      text: 'btc to the moon',
      score: 0.5,
      weight: 1.5,
      likes: 1,
      retweets: 2,
      replies: 3,
      quotes: 4,
      retweet_of: '',
      rule_tags: ['btc'],
    };
    await insertRows(client, 'tweets', [row], { url });
    await insertRows(client, 'tweets', [row, { ...row, tweet_id: '43' }], { url });
    await insertRows(client, 'tweets', [], { url });
    const got = await rows<{ tweet_id: string; text: string; rule_tags: string[] }>(
      'SELECT tweet_id, text, rule_tags FROM tweets FINAL ORDER BY tweet_id',
    );
    expect(got).toEqual([
      { tweet_id: '42', text: 'btc to the moon', rule_tags: ['btc'] },
      { tweet_id: '43', text: 'btc to the moon', rule_tags: ['btc'] },
    ]);
  });

  it('applies retention by TTL where supported and prunes old rows where not', async () => {
    const features = await serverFeatures(client);
    const how = await applyRetention(client, { url, days: 30 });
    expect(how).toContain(features.ttl ? 'TTL 30 days' : 'sentiflow prune');
    const old = {
      topic: 'tweets.raw',
      partition: 0,
      tweet_id: '1',
      outcome: 'stored',
      stage: '',
      reason: '',
    };
    await insertRows(
      client,
      'intake',
      [
        { ...old, offset: 1, event_hour: 1_500_000_000 },
        { ...old, offset: 2, event_hour: 1_700_000_000 },
      ],
      { url },
    );
    await pruneOlderThan(client, { url, cutoffSeconds: 1_600_000_000 });
    const left = await rows<{ offset: string }>('SELECT offset FROM intake FINAL ORDER BY offset');
    expect(left.map((r) => Number(r.offset))).toEqual([2]);
  });
});
