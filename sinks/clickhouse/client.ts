/**
 * @clickhouse/client factory plus the small amount of error mapping every caller needs.
 * The SQL we send stays inside what ClickHouse 18.16 understands (the Debian server the tests use);
 * newer features are switched on by `serverFeatures()`.
 */
import { type ClickHouseClient, ClickHouseError, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { RejectedError, SentiflowError, UnavailableError } from '../../lib/errors.js';

export type { ClickHouseClient };

export interface ClickHouseOptions {
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  readonly requestTimeoutMs?: number;
}

export function createClickHouse({
  url,
  user = 'default',
  password = '',
  database = 'default',
  requestTimeoutMs = 30_000,
}: ClickHouseOptions): ClickHouseClient {
  return createClient({
    url,
    username: user,
    password,
    database,
    request_timeout: requestTimeoutMs,
    application: 'sentiflow',
    // Failures reach callers as SentiflowErrors and are logged once, by them, through pino.
    log: { level: ClickHouseLogLevel.OFF },
    // 18.16 knows neither HTTP compression negotiation quirks of newer clients nor async inserts.
    compression: { request: false, response: false },
  });
}

/** Error codes ClickHouse uses for conditions that pass: overload, timeouts, replicas catching up. */
const TRANSIENT_CODES = new Set([
  '159',
  '164',
  '202',
  '203',
  '209',
  '210',
  '241',
  '242',
  '252',
  '319',
  '425',
]);

/** The server's error code: ClickHouseError carries it; 18.16 answers in text ("Code: 252, e.displayText() = ..."). */
export function clickHouseErrorCode(error: unknown): string | undefined {
  if (error instanceof ClickHouseError) return error.code;
  const message = error instanceof Error ? error.message : '';
  return /^Code: (\d+)/.exec(message)?.[1];
}

export function isTransientClickHouseError(error: unknown): boolean {
  const serverCode = clickHouseErrorCode(error);
  if (serverCode !== undefined) return TRANSIENT_CODES.has(serverCode);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (
    code &&
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|UND_ERR_.*)$/.test(code)
  ) {
    return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /socket hang up|Timeout error|timed out|ECONNREFUSED|ECONNRESET|503|502|504/i.test(message);
}

/** Maps any ClickHouse failure to a sentiflow error that says where and whether a retry can help. */
export function toClickHouseError(error: unknown, doing: string, url: string): SentiflowError {
  if (error instanceof SentiflowError) return error;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = code && !message?.includes(code) ? `${code} ${message}` : message;
  return isTransientClickHouseError(error)
    ? new UnavailableError(
        'clickhouse',
        `${doing}: ClickHouse at ${url} is unreachable or busy (${detail})`,
        error,
      )
    : new RejectedError('clickhouse', `${doing}: ClickHouse at ${url} refused it (${detail})`, error);
}

export interface ServerFeatures {
  readonly version: string;
  /** TTL clauses on MergeTree tables (19.6+). */
  readonly ttl: boolean;
  /** LowCardinality(String) columns (19.3+). */
  readonly lowCardinality: boolean;
  /** {name:Type} query parameters over HTTP (19.11+). */
  readonly queryParameters: boolean;
}

export function featuresOf(version: string): ServerFeatures {
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10));
  const atLeast = (ma: number, mi: number): boolean => major > ma || (major === ma && minor >= mi);
  return {
    version,
    ttl: atLeast(19, 6),
    lowCardinality: atLeast(19, 3),
    queryParameters: atLeast(19, 11),
  };
}

export async function serverFeatures(client: ClickHouseClient): Promise<ServerFeatures> {
  const result = await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
  const rows = await result.json<{ version: string }>();
  return featuresOf(rows[0]?.version ?? '0.0');
}
