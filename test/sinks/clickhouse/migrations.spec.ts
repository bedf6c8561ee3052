import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../lib/errors.js';
import { featuresOf } from '../../../sinks/clickhouse/client.js';
import { loadMigrations, splitStatements } from '../../../sinks/clickhouse/migrations.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentiflow-migrations-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('migrations', () => {
  it('splits statements on line-ending semicolons and drops comment lines', () => {
    const sql =
      "-- header; not a statement\nCREATE TABLE a (x String DEFAULT ';')\nENGINE = Log;\n\nCREATE VIEW b AS SELECT 1;";
    expect(splitStatements(sql)).toEqual([
      "CREATE TABLE a (x String DEFAULT ';')\nENGINE = Log",
      'CREATE VIEW b AS SELECT 1',
    ]);
  });

  it('loads files in version order with checksums', () => {
    const dir = dirWith({ '0002_b.sql': 'SELECT 2;', '0001_a.sql': 'SELECT 1;', 'README.md': 'ignored' });
    const migrations = loadMigrations(dir);
    expect(migrations.map((m) => m.name)).toEqual(['0001_a.sql', '0002_b.sql']);
    expect(migrations[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(migrations[0]?.checksum).not.toBe(migrations[1]?.checksum);
  });

  it('refuses badly named files and clashing versions', () => {
    expect(() => loadMigrations(dirWith({ 'init.sql': 'SELECT 1;' }))).toThrow(RejectedError);
    expect(() => loadMigrations(dirWith({ '0001_a.sql': 'SELECT 1;', '0001_b.sql': 'SELECT 1;' }))).toThrow(
      /share version 1/,
    );
  });

  it('ships the project migrations in a loadable state', () => {
    const migrations = loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.every((m) => m.statements.length > 0)).toBe(true);
  });
});

describe('featuresOf', () => {
  it('switches on TTL and friends by server version', () => {
    expect(featuresOf('18.16.1')).toMatchObject({
      ttl: false,
      lowCardinality: false,
      queryParameters: false,
    });
    expect(featuresOf('19.6.2.11')).toMatchObject({
      ttl: true,
      lowCardinality: true,
      queryParameters: false,
    });
    expect(featuresOf('26.1.1.1')).toMatchObject({ ttl: true, lowCardinality: true, queryParameters: true });
  });
});
