import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNodeBinary, chooseRuntime, containerNodeVersion } from '../../bench/runtime.js';
import { ConfigError } from '../../lib/errors.js';
import { repoRoot } from '../../scripts/services/paths.js';

const linux = { platform: 'linux', arch: 'x64', cwd: '/repo' };

describe('containerNodeVersion', () => {
  it('reads the version the real Dockerfile ARG line names', () => {
    const dockerfile = readFileSync(join(repoRoot, 'docker', 'Dockerfile'), 'utf8');
    const named = /^ARG NODE_IMAGE=node:([^-\s]+)-/m.exec(dockerfile)?.[1];
    expect(named).toMatch(/^\d+\.\d+\.\d+$/);
    expect(containerNodeVersion(dockerfile)).toBe(named);
  });

  it('takes the version from an image name without a variant suffix', () => {
    expect(containerNodeVersion('FROM x\nARG NODE_IMAGE=node:26.10.0\n')).toBe('26.10.0');
  });

  it('rejects a Dockerfile without the ARG line in one line', () => {
    const parse = () => containerNodeVersion('FROM node:26.10.0-bookworm-slim\nRUN true\n');
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/^docker\/Dockerfile has no line `ARG NODE_IMAGE=node:<major.minor.patch>-...`/);
  });

  it('rejects a NODE_IMAGE without a full version', () => {
    expect(() => containerNodeVersion('ARG NODE_IMAGE=node:26-bookworm-slim\n')).toThrow(ConfigError);
  });
});

describe('chooseRuntime', () => {
  it('keeps this Node when BENCH_NODE is unset or empty', () => {
    expect(chooseRuntime(undefined, linux)).toEqual({ kind: 'current' });
    expect(chooseRuntime('', linux)).toEqual({ kind: 'current' });
  });

  it('takes the container Node on linux x64', () => {
    expect(chooseRuntime('container', linux)).toEqual({ kind: 'container' });
  });

  it('refuses the container Node elsewhere, saying why', () => {
    const choose = () => chooseRuntime('container', { ...linux, platform: 'darwin', arch: 'arm64' });
    expect(choose).toThrow(ConfigError);
    expect(choose).toThrow(/needs linux x64.*this is darwin arm64$/);
  });

  it('resolves any other value as a path from the working directory', () => {
    expect(chooseRuntime('node26/bin/node', linux)).toEqual({ kind: 'path', path: '/repo/node26/bin/node' });
  });
});

describe('checkNodeBinary', () => {
  it('accepts an executable file', () => {
    expect(checkNodeBinary(process.execPath)).toBe(process.execPath);
  });

  it('names a missing path and what BENCH_NODE accepts', () => {
    const check = () => checkNodeBinary('/nonexistent/bin/node');
    expect(check).toThrow(ConfigError);
    expect(check).toThrow(
      'BENCH_NODE: /nonexistent/bin/node is not an executable file; BENCH_NODE accepts nothing (this Node), `container` or the path of a node binary',
    );
  });

  it('rejects a file that is not executable', () => {
    expect(() => checkNodeBinary(join(repoRoot, 'package.json'))).toThrow(
      /package\.json is not an executable file/,
    );
  });

  it('rejects a directory', () => {
    expect(() => checkNodeBinary(repoRoot)).toThrow(ConfigError);
  });
});

describe('npm run bench with a bad BENCH_NODE', () => {
  it('prints one line and exits 2 before running any bench', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'bench', 'run.ts'), 'operators.chain'],
      {
        cwd: repoRoot,
        env: { ...process.env, BENCH_NODE: '/nonexistent/bin/node' },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      '[bench] BENCH_NODE: /nonexistent/bin/node is not an executable file; BENCH_NODE accepts nothing (this Node), `container` or the path of a node binary\n',
    );
  });
});
