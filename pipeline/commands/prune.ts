/**
 * `sentiflow prune --older-than 30d`: deletes scored tweets and ledger rows older than a cutoff on
 * servers without TTL (ClickHouse < 19.6, e.g. the 18.16 test server), through pruneOlderThan: whole
 * monthly partitions are dropped, the rest goes by an ALTER DELETE mutation, which we wait for so the
 * report says what is really gone. On servers with TTL the table TTL (set by `sentiflow migrate`)
 * already expires rows; prune then only reports, unless --force.
 */
import { Command } from 'commander';
import { ConfigError } from '../../lib/errors.js';
import {
  type ClickHouseClient,
  type ClickHouseOptions,
  createClickHouse,
  serverFeatures,
  toClickHouseError,
} from '../../sinks/clickhouse/client.js';
import { pruneOlderThan, RETAINED_TABLES } from '../../sinks/clickhouse/retention.js';
import { dateTimeLiteral, stringList } from '../../sinks/clickhouse/sql.js';
import { commandContext } from '../context.js';
import { parseDurationMs, parseTime } from '../query/params.js';

type RetainedTable = (typeof RETAINED_TABLES)[number];
const TIME_COLUMN: Record<RetainedTable, string> = { tweets: 'created_at', intake: 'event_hour' };

export interface PruneOptions {
  readonly url: string;
  readonly cutoffMs: number;
  /** Delete even where TTL does it. */
  readonly force?: boolean;
  /** Count only. */
  readonly dryRun?: boolean;
  /** How long to wait for the delete mutations to finish. */
  readonly mutationTimeoutMs?: number;
  readonly pollMs?: number;
}

export interface PruneReport {
  readonly serverVersion: string;
  readonly action: 'left-to-ttl' | 'dry-run' | 'pruned';
  readonly tables: readonly { table: RetainedTable; olderBefore: number; olderAfter: number }[];
  readonly statements: readonly string[];
  /** False when mutations were still running at the deadline. */
  readonly finished: boolean;
}

/** `--older-than`: a duration before now (30d, 12h) or an absolute time; never in the future. */
export function parseCutoff(text: string, now: number): number {
  const duration = parseDurationMs(text);
  const cutoff = duration === null ? parseTime(text, '--older-than') : now - duration;
  if (cutoff > now) throw new ConfigError(`--older-than: ${JSON.stringify(text)} is in the future`);
  if (cutoff < 0) throw new ConfigError(`--older-than: ${JSON.stringify(text)} reaches before 1970`);
  return cutoff;
}

async function olderCounts(client: ClickHouseClient, cutoffMs: number): Promise<number[]> {
  return Promise.all(
    RETAINED_TABLES.map(async (table) => {
      const result = await client.query({
        query: `SELECT count() AS n FROM ${table} FINAL WHERE ${TIME_COLUMN[table]} < ${dateTimeLiteral(cutoffMs)}`,
        format: 'JSONEachRow',
      });
      return Number((await result.json<{ n: string | number }>())[0]?.n ?? 0);
    }),
  );
}

async function mutationsDone(client: ClickHouseClient, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await client.query({
      query: `SELECT count() AS n FROM system.mutations WHERE database = currentDatabase()
        AND table IN (${stringList(RETAINED_TABLES)}) AND is_done = 0`,
      format: 'JSONEachRow',
    });
    if (Number((await result.json<{ n: string | number }>())[0]?.n ?? 0) === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export async function runPrune(client: ClickHouseClient, options: PruneOptions): Promise<PruneReport> {
  const { url, cutoffMs, mutationTimeoutMs = 120_000, pollMs = 200 } = options;
  try {
    const { version, ttl } = await serverFeatures(client);
    const before = await olderCounts(client, cutoffMs);
    const report = (
      action: PruneReport['action'],
      after: number[],
      statements: string[],
      finished = true,
    ) => ({
      serverVersion: version,
      action,
      tables: RETAINED_TABLES.map((table, i) => ({
        table,
        olderBefore: before[i] ?? 0,
        olderAfter: after[i] ?? 0,
      })),
      statements,
      finished,
    });
    if (ttl && !options.force) return report('left-to-ttl', before, []);
    if (options.dryRun) return report('dry-run', before, []);
    const statements = await pruneOlderThan(client, { url, cutoffSeconds: Math.floor(cutoffMs / 1000) });
    const finished = await mutationsDone(client, mutationTimeoutMs, pollMs);
    return report('pruned', await olderCounts(client, cutoffMs), statements, finished);
  } catch (error) {
    throw toClickHouseError(error, 'prune', url);
  }
}

export function describePrune(report: PruneReport, cutoffMs: number): string[] {
  const cutoff = new Date(cutoffMs).toISOString();
  const lines = report.tables.map(({ table, olderBefore, olderAfter }) =>
    report.action === 'pruned'
      ? `${table}: ${olderBefore - olderAfter} rows older than ${cutoff} deleted, ${olderAfter} left`
      : `${table}: ${olderBefore} rows older than ${cutoff}`,
  );
  if (report.action === 'left-to-ttl') {
    lines.push(
      `ClickHouse ${report.serverVersion} expires old rows itself (table TTL set by sentiflow migrate from TWEETS_RETENTION_DAYS); nothing deleted. Use --force to delete now.`,
    );
  } else if (report.action === 'dry-run') {
    lines.push('dry run: nothing deleted');
  } else {
    lines.push(`ran: ${report.statements.join('; ')}`);
    if (!report.finished)
      lines.push('delete mutations still running; the remaining rows go when they finish');
  }
  return lines;
}

export interface PruneCommandOptions {
  readonly clickhouse?: ClickHouseOptions;
  readonly stdout?: NodeJS.WritableStream;
  readonly now?: () => number;
  readonly mutationTimeoutMs?: number;
  /** Default cutoff in days when --older-than is absent (default: TWEETS_RETENTION_DAYS from the config). */
  readonly retentionDays?: number;
}

export function createPruneCommand(options: PruneCommandOptions = {}): Command {
  return new Command('prune')
    .description('delete scored tweets and intake rows older than a cutoff (for servers without TTL)')
    .option(
      '--older-than <age|time>',
      'a duration before now (30d, 12h, 2w) or a time (ISO 8601, epoch s/ms); default TWEETS_RETENTION_DAYS',
    )
    .option('--force', 'delete even where the server TTL already expires rows')
    .option('--dry-run', 'only count what would be deleted')
    .action(async (flags: { olderThan?: string; force?: boolean; dryRun?: boolean }, command: Command) => {
      const config = () => commandContext(command).config.clickhouse;
      const olderThan = flags.olderThan ?? `${options.retentionDays ?? config().tweetsRetentionDays}d`;
      const cutoffMs = parseCutoff(olderThan, (options.now ?? Date.now)());
      const connection = options.clickhouse ?? config();
      const client = createClickHouse(connection);
      try {
        const report = await runPrune(client, {
          url: connection.url,
          cutoffMs,
          force: flags.force === true,
          dryRun: flags.dryRun === true,
          ...(options.mutationTimeoutMs === undefined
            ? {}
            : { mutationTimeoutMs: options.mutationTimeoutMs }),
        });
        (options.stdout ?? process.stdout).write(`${describePrune(report, cutoffMs).join('\n')}\n`);
      } finally {
        await client.close();
      }
    });
}
