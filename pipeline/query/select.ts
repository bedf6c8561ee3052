/** The SelectRows port over @clickhouse/client, with errors that tell the user what to do. */
import { ClickHouseError } from '@clickhouse/client';
import { type ClickHouseClient, toClickHouseError } from '../../sinks/clickhouse/client.js';
import { RejectedError } from '../../sinks/errors.js';
import type { RawRow, SelectRows } from './result.js';

/** ClickHouse codes for a missing table or database: the schema was not migrated. */
const MISSING_SCHEMA = new Set(['60', '81']);

/** The server's error code: parsed by the client for current servers, from the text for 18.16. */
function errorCode(error: unknown): string | undefined {
  if (error instanceof ClickHouseError) return error.code;
  return error instanceof Error ? /^Code: (\d+)/.exec(error.message)?.[1] : undefined;
}

export function clickHouseSelect(
  client: ClickHouseClient,
  { url, doing }: { url: string; doing: string },
): SelectRows {
  return async (sql) => {
    try {
      const result = await client.query({ query: sql, format: 'JSONEachRow' });
      return await result.json<RawRow>();
    } catch (error) {
      const code = errorCode(error);
      if (code !== undefined && MISSING_SCHEMA.has(code)) {
        const first = (error as Error).message.split('\n')[0] ?? '';
        const what = /DB::Exception: (.*?)(?:, e\.what\(\).*| \(\w+\).*)?$/.exec(first)?.[1] ?? first;
        throw new RejectedError('clickhouse', `${doing}: ${what} (run: sentiflow migrate)`, error);
      }
      throw toClickHouseError(error, doing, url);
    }
  };
}
