import type { ProvidedServices } from './provide.js';

/** The variables tests and child processes read, e.g. KAFKA_BROKERS=127.0.0.1:40123. */
export function serviceEnv(services: Pick<ProvidedServices, 'kafka' | 'clickhouse'>): Record<string, string> {
  const ch = services.clickhouse.endpoint;
  return {
    KAFKA_BROKERS: services.kafka.endpoint.brokers.join(','),
    CLICKHOUSE_URL: ch.url,
    CLICKHOUSE_USER: ch.user,
    CLICKHOUSE_PASSWORD: ch.password,
    CLICKHOUSE_DATABASE: ch.database,
  };
}

const sourceNames = {
  env: 'given in env',
  testcontainers: 'testcontainers',
  local: 'local launcher',
} as const;

/** One line per server: what, where, which path, how long. */
export function describeServices(services: Pick<ProvidedServices, 'kafka' | 'clickhouse'>): string[] {
  const { kafka, clickhouse } = services;
  const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return [
    `Kafka ${kafka.endpoint.version} at ${kafka.endpoint.brokers.join(',')} (${sourceNames[kafka.endpoint.source]}, ready in ${secs(kafka.startMs)})`,
    `ClickHouse ${clickhouse.endpoint.version} at ${clickhouse.endpoint.url} (${sourceNames[clickhouse.endpoint.source]}, ready in ${secs(clickhouse.startMs)})`,
  ];
}
