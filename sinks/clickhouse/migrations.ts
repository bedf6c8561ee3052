/**
 * Numbered SQL migrations (`NNNN_name.sql` in ./migrations), applied in order and recorded in
 * `schema_migrations`. Running twice applies nothing new. A recorded migration whose file changed
 * afterwards is refused: add a new migration instead. Statements are written idempotently
 * (IF NOT EXISTS), so a run interrupted half-way can simply run again.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { RejectedError } from '../../lib/errors.js';
import { toClickHouseError } from './client.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly statements: readonly string[];
}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/** Splits a SQL file into statements on `;` at the end of a line; `--` comment lines are dropped. */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Map<number, string>();
  return files.map((file) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new RejectedError('clickhouse', `migration file ${file}: expected NNNN_name.sql`);
    const version = Number(match[1]);
    const clash = seen.get(version);
    if (clash)
      throw new RejectedError('clickhouse', `migrations ${clash} and ${file} share version ${version}`);
    seen.set(version, file);
    const text = readFileSync(`${dir}/${file}`, 'utf8');
    return {
      version,
      name: file,
      checksum: createHash('sha256').update(text).digest('hex'),
      statements: splitStatements(text),
    };
  });
}

export interface MigrateOptions {
  readonly url: string;
  readonly database: string;
  readonly logger?: Logger;
  readonly dir?: string;
}

/**
 * Creates the database when missing and applies pending migrations. `admin` must be a client that does not
 * depend on the database existing (database 'default'); `client` is bound to `database`.
 */
export async function migrate(
  admin: ClickHouseClient,
  client: ClickHouseClient,
  { url, database, logger, dir }: MigrateOptions,
): Promise<MigrationReport> {
  const migrations = loadMigrations(dir);
  try {
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await client.command({
      query: `CREATE TABLE IF NOT EXISTS schema_migrations (
        version UInt32, name String, checksum String, applied_at DateTime
      ) ENGINE = ReplacingMergeTree ORDER BY version`,
    });
  } catch (error) {
    throw toClickHouseError(error, `preparing database ${database}`, url);
  }
  const recorded = new Map<number, { name: string; checksum: string }>();
  try {
    const result = await client.query({
      query: 'SELECT version, name, checksum FROM schema_migrations FINAL',
      format: 'JSONEachRow',
    });
    for (const row of await result.json<{ version: number; name: string; checksum: string }>()) {
      recorded.set(Number(row.version), row);
    }
  } catch (error) {
    throw toClickHouseError(error, 'reading schema_migrations', url);
  }
  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  for (const m of migrations) {
    const done = recorded.get(m.version);
    if (done) {
      if (done.checksum !== m.checksum) {
        throw new RejectedError(
          'clickhouse',
          `migration ${m.name} changed after it was applied to ${database}; add a new migration instead of editing it`,
        );
      }
      alreadyApplied.push(m.name);
      continue;
    }
    for (const [i, statement] of m.statements.entries()) {
      try {
        await client.command({ query: statement });
      } catch (error) {
        throw toClickHouseError(error, `applying ${m.name} (statement ${i + 1})`, url);
      }
    }
    await client.insert({
      table: 'schema_migrations',
      format: 'JSONEachRow',
      values: [
        {
          version: m.version,
          name: m.name,
          checksum: m.checksum,
          applied_at: Math.floor(Date.now() / 1000),
        },
      ],
    });
    logger?.info({ migration: m.name, database }, 'migration applied');
    applied.push(m.name);
  }
  return { applied, alreadyApplied };
}
