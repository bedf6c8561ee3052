/** The SelectRows port over @clickhouse/client, with errors that tell the user what to do. */

import { RejectedError } from '../../lib/errors.js';
import {
  type ClickHouseClient,
  clickHouseErrorCode,
  toClickHouseError,
} from '../../sinks/clickhouse/client.js';
import type { RawRow, SelectRows } from './result.js';

/** ClickHouse codes for a missing table or database: the schema was not migrated. */
const MISSING_SCHEMA = new Set(['60', '81']);

export function clickHouseSelect(
  client: ClickHouseClient,
  { url, doing }: { url: string; doing: string },
): SelectRows {
  return async (sql) => {
    try {
      const result = await client.query({ query: sql, format: 'JSONEachRow' });
      return await result.json<RawRow>();
    } catch (error) {
      const code = clickHouseErrorCode(error);
      if (code !== undefined && MISSING_SCHEMA.has(code)) {
        const first = (error as Error).message.split('\n')[0] ?? '';
        const what = /DB::Exception: (.*?)(?:, e\.what\(\).*| \(\w+\).*)?$/.exec(first)?.[1] ?? first;
        throw new RejectedError('clickhouse', `${doing}: ${what} (run: sentiflow migrate)`, error);
      }
      throw toClickHouseError(error, doing, url);
    }
  };
}
