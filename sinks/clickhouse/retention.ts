/**
 * Retention of scored tweets. Servers with TTL (19.6+) get a table TTL, so ClickHouse expires rows
 * itself; older servers (the 18.16 test server) rely on `sentiflow prune --older-than`, which deletes
 * whole monthly partitions and then the remaining old rows with a mutation.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { serverFeatures, toClickHouseError } from './client.js';

export const RETAINED_TABLES = ['tweets', 'intake'] as const;
const TIME_COLUMN: Record<(typeof RETAINED_TABLES)[number], string> = {
  tweets: 'created_at',
  intake: 'event_hour',
};

export async function applyRetention(
  client: ClickHouseClient,
  { url, days }: { url: string; days: number },
): Promise<string> {
  if (!Number.isInteger(days) || days <= 0)
    throw new RangeError(`retention days must be a positive integer: ${days}`);
  const features = await serverFeatures(client);
  if (!features.ttl) return `by 'sentiflow prune' (ClickHouse ${features.version} has no TTL)`;
  for (const table of RETAINED_TABLES) {
    try {
      await client.command({
        query: `ALTER TABLE ${table} MODIFY TTL ${TIME_COLUMN[table]} + INTERVAL ${days} DAY`,
      });
    } catch (error) {
      throw toClickHouseError(error, `setting TTL on ${table}`, url);
    }
  }
  return `TTL ${days} days`;
}

/** Deletes rows older than `cutoffSeconds` (epoch seconds) from the retained tables; returns the statements run. */
export async function pruneOlderThan(
  client: ClickHouseClient,
  { url, cutoffSeconds }: { url: string; cutoffSeconds: number },
): Promise<string[]> {
  if (!Number.isInteger(cutoffSeconds) || cutoffSeconds < 0)
    throw new RangeError(`bad cutoff ${cutoffSeconds}`);
  const statements: string[] = [];
  for (const table of RETAINED_TABLES) {
    const column = TIME_COLUMN[table];
    const cutoffMonth = `toYYYYMM(toDateTime(${cutoffSeconds}))`;
    try {
      const result = await client.query({
        query: `SELECT DISTINCT partition FROM system.parts WHERE database = currentDatabase() AND table = '${table}'
                AND active AND toUInt32(partition) < ${cutoffMonth}`,
        format: 'JSONEachRow',
      });
      for (const { partition } of await result.json<{ partition: string }>()) {
        if (!/^\d{6}$/.test(partition)) continue;
        const statement = `ALTER TABLE ${table} DROP PARTITION ${partition}`;
        await client.command({ query: statement });
        statements.push(statement);
      }
      const statement = `ALTER TABLE ${table} DELETE WHERE ${column} < toDateTime(${cutoffSeconds})`;
      await client.command({ query: statement });
      statements.push(statement);
    } catch (error) {
      throw toClickHouseError(error, `pruning ${table}`, url);
    }
  }
  return statements;
}
