/**
 * Just enough of @clickhouse/client's ClickHouseClient over a chdb Session (ClickHouse 26.x in-process)
 * for our own code to run unchanged on current ClickHouse: query(...).json(), command, JSONEachRow
 * insert. One Session holds every database; each call first switches to the adapter's database.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { RawRow, SelectRows } from '../../../pipeline/query/result.js';
import type { ChdbSession } from '../../../scripts/chdb.js';

export interface ChdbClient {
  readonly client: ClickHouseClient;
  readonly select: SelectRows;
}

export function chdbClient(session: ChdbSession, database: string): ChdbClient {
  const run = async (sql: string, format?: string): Promise<string> => {
    await session.queryAsync(`USE ${database}`);
    const result = await session.queryAsync(sql, format ? { format } : {});
    return result.text();
  };
  const rows = async <T>(sql: string): Promise<T[]> =>
    (await run(sql, 'JSONEachRow'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as T);
  const client = {
    query: async ({ query }: { query: string; format?: string }) => {
      const parsed = await rows<unknown>(query);
      return { json: async () => parsed };
    },
    command: async ({ query }: { query: string }) => {
      await run(query);
      return { query_id: '' };
    },
    insert: async ({ table, values }: { table: string; values: readonly object[] }) => {
      if (values.length === 0) return { executed: false, query_id: '' };
      const body = values.map((v) => JSON.stringify(v)).join('\n');
      await run(`INSERT INTO ${table} FORMAT JSONEachRow\n${body}`);
      return { executed: true, query_id: '' };
    },
    close: async () => undefined,
  };
  return {
    // The subset above is all our code calls; the cast keeps the real client's type at call sites.
    client: client as unknown as ClickHouseClient,
    select: (sql) => rows<RawRow>(sql),
  };
}
