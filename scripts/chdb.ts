/**
 * chdb, current ClickHouse (26.x) in-process, for the specs that run our SQL on it (*-chdb.spec.ts).
 * Its engine is about 550 MB and exists for Linux (glibc) and macOS, x64 and arm64 only, so it is not a
 * devDependency: `npm run install:chdb` (and .ci/run) puts the version package.json's
 * `config.chdbVersion` pins into .cache/chdb/<version>/, once, and the specs load it from there with
 * `loadChdb()`, which fails with one line saying how to install it when it is absent.
 * chdb pins its engine package exactly; its three small dependencies resolve within their ranges.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { cacheDir, repoRoot } from './services/paths.js';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  config?: { chdbVersion?: string };
};
const pinned = manifest.config?.chdbVersion;
if (!pinned) throw new Error('package.json has no config.chdbVersion (the chdb version the specs install)');
export const chdbVersion: string = pinned;

/** .cache/chdb/<version>: a package of its own whose node_modules holds chdb and its engine. */
export const chdbDir = (version = chdbVersion): string => join(cacheDir, 'chdb', version);

const COMPLETE = '.complete';

/** What the specs call; the subset of chdb's API they use. */
export interface ChdbSession {
  query(sql: string, format?: string): string;
  queryAsync(sql: string, options?: { readonly format?: string }): Promise<{ text(): string }>;
  cleanup(): void;
}
export interface Chdb {
  readonly Session: new () => ChdbSession;
}

/** chdb from .cache/chdb/<version>; absent, an error whose first line says how to install it. */
export function loadChdb(dir = chdbDir()): Chdb {
  if (!existsSync(join(dir, COMPLETE))) {
    const failure = new Error(
      `chdb ${chdbVersion} is not installed in ${relative(repoRoot, dir)}: run \`npm run install:chdb\` ` +
        '(about 550 MB, once; `bash .ci/run` does it)',
    );
    failure.stack = `Error: ${failure.message}`; // the line says it all; a stack would bury it
    throw failure;
  }
  return createRequire(join(dir, 'package.json'))('chdb') as Chdb;
}

/**
 * Installs chdb at the pinned version unless it is there: into a staging dir, checked by running a query
 * in a child process, then renamed into place, so an interrupted install is never taken for complete.
 */
export function ensureChdb(version = chdbVersion, say = (_line: string): void => {}): string {
  const dir = chdbDir(version);
  if (existsSync(join(dir, COMPLETE))) {
    say(`chdb ${version} is installed in ${relative(repoRoot, dir)}`);
    return dir;
  }
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    writeFileSync(join(staging, 'package.json'), '{ "private": true }\n');
    say(`installing chdb ${version} (about 550 MB) into ${relative(repoRoot, dir)}`);
    const npm = ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts'];
    execFileSync('npm', [...npm, `chdb@${version}`], {
      cwd: staging,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const check =
      "const { query } = require('chdb'); process.stdout.write(query('SELECT version()', 'TSVRaw'))";
    let engine: string;
    try {
      engine = execFileSync(process.execPath, ['-e', check], { cwd: staging, encoding: 'utf8' }).trim();
    } catch {
      throw new Error(
        `chdb ${version} does not run on ${process.platform}-${process.arch}: it has engines for Linux (glibc) and macOS, x64 and arm64`,
      );
    }
    writeFileSync(join(staging, COMPLETE), `${engine}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    say(`chdb ${version} (ClickHouse ${engine}) installed`);
    return dir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  try {
    ensureChdb(chdbVersion, (line) => process.stderr.write(`[chdb] ${line}\n`));
  } catch (error) {
    process.stderr.write(`[chdb] ${(error as Error).message}\n`);
    process.exit(1);
  }
}
