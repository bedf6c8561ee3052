/** The code a backtest ran: package version plus the git commit when the code sits in a work tree. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return null;
}

/** e.g. `0.1.0+049332c` (or `0.1.0+049332c-dirty`), `0.1.0` outside git. */
export function codeVersion(): string {
  if (cached !== undefined) return cached;
  const root = packageRoot();
  let version = 'unknown';
  let commit = '';
  if (root !== null) {
    try {
      version =
        (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ??
        version;
    } catch {
      // unreadable package.json: the version stays 'unknown'
    }
    try {
      const run = (args: string[]): string =>
        execFileSync('git', args, {
          cwd: root,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: 5_000,
        }).trim();
      commit = run(['rev-parse', '--short=12', 'HEAD']);
    } catch {
      // not a git work tree (container image): the package version alone
    }
  }
  cached = commit ? `${version}+${commit}` : version;
  return cached;
}
