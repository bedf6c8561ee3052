import { Command } from 'commander';
import { describeError } from '../../lib/errors.js';
import { createClickHouse, serverFeatures, toClickHouseError } from '../../sinks/clickhouse/client.js';
import { loadMigrations } from '../../sinks/clickhouse/migrations.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { toKafkaError, withDeadline } from '../../sinks/kafka/errors.js';
import { probeKafkaVersion } from '../../sinks/kafka/version-probe.js';
import type { Config } from '../config.js';
import { commandContext } from '../context.js';
import { topicSpecs } from '../topics.js';

export interface Finding {
  readonly service: 'kafka' | 'clickhouse';
  readonly ok: boolean;
  /** Version and reachability, or the reason it is unreachable. */
  readonly summary: string;
  /** What is missing although the server answers (topics, tables). */
  readonly missing: readonly string[];
}

export async function checkKafka(config: Config, timeoutMs: number): Promise<Finding> {
  const brokers = config.kafka.brokers;
  try {
    const wire = await probeKafkaVersion(brokers[0]!, timeoutMs);
    const kafka = createKafka({ ...config.kafka, retryDeadlineMs: timeoutMs });
    const admin = kafka.admin();
    try {
      await withDeadline(admin.connect(), timeoutMs, 'connecting to Kafka');
      const cluster = await withDeadline(admin.describeCluster(), timeoutMs, 'describing the Kafka cluster');
      const existing = new Set(await withDeadline(admin.listTopics(), timeoutMs, 'listing topics'));
      const missing = topicSpecs(config.topics)
        .filter((t) => !existing.has(t.name))
        .map((t) => `topic ${t.name} (run: sentiflow topics create)`);
      return {
        service: 'kafka',
        ok: true,
        summary: `Kafka ${wire.release} at ${brokers.join(',')}, cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`,
        missing,
      };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  } catch (error) {
    return {
      service: 'kafka',
      ok: false,
      summary: describeError(toKafkaError(error, 'doctor', brokers)),
      missing: [],
    };
  }
}

export async function checkClickHouse(config: Config, timeoutMs: number): Promise<Finding> {
  const { clickhouse } = config;
  const client = createClickHouse({ ...clickhouse, database: 'default', requestTimeoutMs: timeoutMs });
  try {
    const features = await serverFeatures(client);
    const missing: string[] = [];
    const dbs = await (
      await client.query({ query: 'SELECT name FROM system.databases', format: 'JSONEachRow' })
    ).json<{ name: string }>();
    if (!dbs.some((d) => d.name === clickhouse.database)) {
      missing.push(`database ${clickhouse.database} (run: sentiflow migrate)`);
    } else {
      const rows = await (
        await client.query({
          query: `SELECT name FROM system.tables WHERE database = '${clickhouse.database}' AND name = 'schema_migrations'`,
          format: 'JSONEachRow',
        })
      ).json<{ name: string }>();
      const applied = new Set<number>();
      if (rows.length > 0) {
        const versions = await (
          await client.query({
            query: `SELECT version FROM ${clickhouse.database}.schema_migrations FINAL`,
            format: 'JSONEachRow',
          })
        ).json<{ version: number }>();
        for (const v of versions) applied.add(Number(v.version));
      }
      const pending = loadMigrations().filter((m) => !applied.has(m.version));
      if (pending.length > 0) missing.push(`${pending.length} pending migration(s) (run: sentiflow migrate)`);
    }
    return {
      service: 'clickhouse',
      ok: true,
      summary: `ClickHouse ${features.version} at ${clickhouse.url} (TTL ${features.ttl ? 'yes' : 'no'})`,
      missing,
    };
  } catch (error) {
    return {
      service: 'clickhouse',
      ok: false,
      summary: describeError(toClickHouseError(error, 'doctor', clickhouse.url)),
      missing: [],
    };
  } finally {
    await client.close();
  }
}

export function createDoctorCommand(): Command {
  return new Command('doctor')
    .description('check that Kafka and ClickHouse answer, print their versions and what is missing')
    .option('--timeout <ms>', 'how long to wait for each server', '5000')
    .action(async (opts: { timeout: string }, command: Command) => {
      const { config } = commandContext(command);
      const timeoutMs = Number(opts.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        throw new Error(`--timeout expects milliseconds, got "${opts.timeout}"`);
      }
      const findings = await Promise.all([checkKafka(config, timeoutMs), checkClickHouse(config, timeoutMs)]);
      for (const f of findings) {
        process.stdout.write(`${f.ok ? 'ok  ' : 'FAIL'} ${f.service}: ${f.summary}\n`);
        for (const m of f.missing) process.stdout.write(`     missing: ${m}\n`);
      }
      const failed = findings.filter((f) => !f.ok);
      if (failed.length > 0) {
        process.exitCode = 1;
        process.stderr.write(`sentiflow: ${failed.map((f) => f.service).join(' and ')} unreachable\n`);
      }
    });
}
