/**
 * `sentiflow prune` on the real ClickHouse 18.16 (no TTL): rows older than the cutoff go from tweets
 * and intake, whole old months by DROP PARTITION and the rest by a mutation that prune waits for;
 * newer rows, and the tables prune does not own, stay.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/errors.js';
import { createPruneCommand, parseCutoff, runPrune } from '../../pipeline/commands/prune.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { testDatabase } from '../support/test-database.js';

const db = testDatabase('it_prune');
const { client, url, name: database } = db;
const connection = { url, user: db.user, password: db.password, database };

const DAY = 86_400_000;
const NOW = Date.UTC(2024, 3, 1, 12); // 2024-04-01T12:00Z
/** Ages in days, cutoff 30d: 75 and 45 lie in months before the cutoff month (dropped whole partitions); 31 shares March with newer rows (deleted by the mutation). */
const AGES = [75, 45, 31, 20, 1];

const tweet = (ageDays: number) => {
  const at = NOW - ageDays * DAY;
  return {
    symbol: 'BTC',
    created_at: Math.floor(at / 1000),
    created_at_ms: at,
    tweet_id: `t${ageDays}`,
    author_id: 'a',
    text: 'btc',
    score: 0,
    weight: 1,
    rule_tags: [],
  };
};
const intake = (ageDays: number, offset: number) => ({
  topic: 'tweets.raw',
  partition: 0,
  offset,
  event_hour: Math.floor((NOW - ageDays * DAY) / 3_600_000) * 3_600,
  tweet_id: `t${ageDays}`,
  outcome: 'stored',
  stage: '',
  reason: '',
});

async function ids(table: 'tweets' | 'intake'): Promise<string[]> {
  const result = await client.query({
    query: `SELECT tweet_id FROM ${table} FINAL ORDER BY tweet_id`,
    format: 'JSONEachRow',
  });
  return (await result.json<{ tweet_id: string }>()).map((r) => r.tweet_id);
}

beforeAll(async () => {
  await db.migrate();
  await insertRows(client, 'tweets', AGES.map(tweet), { url });
  await insertRows(client, 'intake', AGES.map(intake), { url });
  await insertRows(
    client,
    'sentiment_hourly',
    [{ symbol: 'BTC', bucket_start: Math.floor((NOW - 75 * DAY) / 1000), count: 1, version: 1 }],
    { url },
  );
});

afterAll(() => db.drop());

describe('sentiflow prune on ClickHouse 18.16', () => {
  it('reads --older-than as a duration before now or as a time, never in the future', () => {
    expect(parseCutoff('30d', NOW)).toBe(NOW - 30 * DAY);
    expect(parseCutoff('12h', NOW)).toBe(NOW - 12 * 3_600_000);
    expect(parseCutoff('2024-03-01', NOW)).toBe(Date.UTC(2024, 2, 1));
    expect(() => parseCutoff('2099-01-01', NOW)).toThrow(ConfigError);
    expect(() => parseCutoff("30d'; DROP TABLE tweets", NOW)).toThrow(/--older-than: .* is not a time/);
  });

  it('defaults the cutoff to the retention period and counts without deleting on --dry-run', async () => {
    let out = '';
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString('utf8');
        done();
      },
    });
    const command = createPruneCommand({ clickhouse: connection, stdout, now: () => NOW, retentionDays: 30 });
    await command.parseAsync(['--dry-run'], { from: 'user' });
    expect(out).toBe(
      'tweets: 3 rows older than 2024-03-02T12:00:00.000Z\nintake: 3 rows older than 2024-03-02T12:00:00.000Z\ndry run: nothing deleted\n',
    );
  });

  it('counts without deleting on a dry run', async () => {
    const report = await runPrune(client, { url, cutoffMs: NOW - 30 * DAY, dryRun: true });
    expect(report.action).toBe('dry-run');
    expect(report.tables).toEqual([
      { table: 'tweets', olderBefore: 3, olderAfter: 3 },
      { table: 'intake', olderBefore: 3, olderAfter: 3 },
    ]);
    expect(await ids('tweets')).toHaveLength(5);
  });

  it('deletes rows older than the cutoff from tweets and intake, keeps the rest, and says so', async () => {
    let out = '';
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString('utf8');
        done();
      },
    });
    const command = createPruneCommand({ clickhouse: connection, stdout, now: () => NOW });
    await command.parseAsync(['--older-than', '30d'], { from: 'user' });

    expect(await ids('tweets')).toEqual(['t1', 't20']);
    expect(await ids('intake')).toEqual(['t1', 't20']);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('tweets: 3 rows older than 2024-03-02T12:00:00.000Z deleted, 0 left');
    expect(lines[1]).toBe('intake: 3 rows older than 2024-03-02T12:00:00.000Z deleted, 0 left');
    expect(lines[2]).toContain('ALTER TABLE tweets DROP PARTITION 202402; ALTER TABLE tweets DELETE WHERE');
    expect(lines[2]).toMatch(
      /^ran: ALTER TABLE tweets DROP PARTITION 202401; .*ALTER TABLE intake DELETE WHERE event_hour < toDateTime\(\d+\)$/,
    );
    const kept = await client.query({
      query: 'SELECT count() AS n FROM sentiment_hourly FINAL',
      format: 'JSONEachRow',
    });
    expect(await kept.json()).toEqual([{ n: '1' }]);
  });
});
