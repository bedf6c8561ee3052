/**
 * Batched JSONEachRow inserts (and pre-encoded TabSeparated ones) with retry and exponential back-off
 * on transient failures. An empty batch is a no-op. Tables are ReplacingMergeTree, so a retried insert
 * that had in fact landed replaces itself instead of counting twice.
 */
import { Readable } from 'node:stream';
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
  options: InsertOptions,
): Promise<void> {
  const chunkRows = options.chunkRows ?? 100_000;
  for (let start = 0; start < rows.length; start += chunkRows) {
    const chunk = rows.slice(start, start + chunkRows);
    await withRetries(
      () => client.insert({ table, values: chunk as Row[], format: 'JSONEachRow' }),
      table,
      `inserting ${chunk.length} rows into ${table}`,
      options,
    );
  }
}

/**
 * One INSERT of rows already encoded as TabSeparated text (each ending in a newline), in the order of
 * `columns`: UTF-8 chunks (a cut's rows), sent as they are, without joining; or a function of string
 * pieces, made afresh for each attempt and only as the request takes them. No rows (all chunks empty)
 * is a no-op.
 */
export async function insertTsv(
  client: ClickHouseClient,
  table: string,
  columns: readonly string[],
  parts: readonly Uint8Array[] | (() => Iterable<string>),
  options: InsertOptions,
): Promise<void> {
  const body = typeof parts === 'function' ? parts : parts.filter((p) => p.byteLength > 0);
  if (typeof body !== 'function' && body.length === 0) return;
  await withRetries(
    () =>
      client.insert({
        table,
        columns: [...columns] as [string, ...string[]],
        values: Readable.from(typeof body === 'function' ? body() : body, { objectMode: false }),
        format: 'TabSeparated',
      }),
    table,
    `inserting encoded rows into ${table}`,
    options,
  );
}

async function withRetries(
  attempt: () => Promise<unknown>,
  table: string,
  what: string,
  { url, logger, attempts = 8, initialDelayMs = 200, maxDelayMs = 10_000, sleep = realSleep }: InsertOptions,
): Promise<void> {
  for (let n = 1; ; n++) {
    try {
      await attempt();
      if (n > 1) logger?.info({ table, attempt: n }, 'ClickHouse insert succeeded after retry');
      return;
    } catch (error) {
      if (!isTransientClickHouseError(error) || n >= attempts) throw toClickHouseError(error, what, url);
      const delay = backoffDelay(n, initialDelayMs, maxDelayMs);
      logger?.warn(
        { table, attempt: n, delayMs: delay, err: error instanceof Error ? error.message : String(error) },
        'ClickHouse insert failed; retrying',
      );
      await sleep(delay);
    }
  }
}
