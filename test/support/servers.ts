/**
 * Helpers for tests against the real servers the integration global setup provides
 * (test/support/global-setup.ts). Tests read the addresses here rather than from process.env directly.
 */
import { randomBytes } from 'node:crypto';
import { type PollOptions, pollUntil } from '../../scripts/services/poll.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run this test in the integration project (its global setup sets it)`,
    );
  return value;
}

/** KAFKA_BROKERS as a list, e.g. ["127.0.0.1:40123"]. */
export function kafkaBrokers(): string[] {
  return required('KAFKA_BROKERS')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

export interface ClickHouseConnection {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** CLICKHOUSE_URL / _USER / _PASSWORD / _DATABASE. */
export function clickHouseConnection(): ClickHouseConnection {
  return {
    url: required('CLICKHOUSE_URL'),
    user: process.env.CLICKHOUSE_USER ?? 'default',
    password: process.env.CLICKHOUSE_PASSWORD ?? '',
    database: process.env.CLICKHOUSE_DATABASE ?? 'default',
  };
}

/**
 * A name no other test (or earlier run) uses, valid as a Kafka topic, consumer group and ClickHouse
 * database or table name: lower-case letters, digits and underscores, e.g. `it_orders_m3k2x1_9f2c4a`.
 */
export function uniqueName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `${clean}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * Polls `check` until it returns a truthy value and returns that value; throws after `timeoutMs`
 * with the last error `check` threw. Use it instead of sleeping: `await waitFor(() => rows.length === 3, ...)`.
 */
export function waitFor<T>(
  check: () => T | undefined | null | false | 0 | '' | Promise<T | undefined | null | false | 0 | ''>,
  options: { timeoutMs: number; intervalMs?: number; what?: string },
): Promise<T> {
  const poll: PollOptions = { intervalMs: 50, ...options };
  return pollUntil(check, poll);
}
