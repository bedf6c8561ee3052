/**
 * Batched JSONEachRow inserts with retry and exponential back-off on transient failures. An empty
 * batch is a no-op. Tables are ReplacingMergeTree, so a retried insert that had in fact landed
 * replaces itself instead of counting twice.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { isTransientClickHouseError, toClickHouseError } from './client.js';

export interface InsertOptions {
  readonly url: string;
  readonly logger?: Logger;
  /** Attempts before giving up; the last error is thrown as UnavailableError. */
  readonly attempts?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Rows per INSERT statement. */
  readonly chunkRows?: number;
  /** Injected for tests; defaults to a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before attempt `n` (1-based): initial * 2^(n-1), capped. */
export function backoffDelay(attempt: number, initialDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

export async function insertRows<Row extends object>(
  client: ClickHouseClient,
  table: string,
  rows: readonly Row[],
  {
    url,
    logger,
    attempts = 8,
    initialDelayMs = 200,
    maxDelayMs = 10_000,
    chunkRows = 100_000,
    sleep = realSleep,
  }: InsertOptions,
): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkRows) {
    const chunk = rows.slice(start, start + chunkRows);
    for (let attempt = 1; ; attempt++) {
      try {
        await client.insert({ table, values: chunk as Row[], format: 'JSONEachRow' });
        if (attempt > 1) logger?.info({ table, attempt }, 'ClickHouse insert succeeded after retry');
        break;
      } catch (error) {
        if (!isTransientClickHouseError(error) || attempt >= attempts) {
          throw toClickHouseError(error, `inserting ${chunk.length} rows into ${table}`, url);
        }
        const delay = backoffDelay(attempt, initialDelayMs, maxDelayMs);
        logger?.warn(
          { table, attempt, delayMs: delay, err: error instanceof Error ? error.message : String(error) },
          'ClickHouse insert failed; retrying',
        );
        await sleep(delay);
      }
    }
  }
}
