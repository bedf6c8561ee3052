/**
 * `npm run bench` runs every bench/<group>.<name>.ts script; `npm run bench -- <name>` runs one
 * (or every bench whose name starts with the argument, e.g. `operators`). Each script runs in its own
 * child process so peak-RSS figures do not leak between benches; its stdout is one JSON line per result.
 * BENCH_NODE picks the Node the children run under (see runtime.ts): unset, this one; `container`, the
 * version docker/Dockerfile ships; or the path of a node binary.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, SentiflowError } from '../lib/errors.js';
import { resolveBenchNode } from './runtime.js';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => /^[a-z0-9_-]+\.[a-z0-9_.-]+\.ts$/.test(f) && f !== 'run.ts' && f !== 'lib.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const wanted = process.argv.slice(2).filter((a) => a !== '--');
const selected =
  wanted.length === 0 ? all : all.filter((b) => wanted.some((w) => b === w || b.startsWith(`${w}.`)));
if (selected.length === 0) {
  process.stderr.write(`no bench named ${wanted.join(', ')}; known: ${all.join(', ')}\n`);
  process.exit(2);
}

let node: string;
try {
  node = resolveBenchNode(process.env.BENCH_NODE);
} catch (error) {
  if (!(error instanceof SentiflowError)) throw error;
  process.stderr.write(`[bench] ${error.message}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
if (node !== process.execPath) process.stderr.write(`[bench] node ${node}\n`);

let failed = 0;
for (const name of selected) {
  process.stderr.write(`[bench] running ${name}\n`);
  const run = spawnSync(node, ['--import', 'tsx', '--expose-gc', join(here, `${name}.ts`)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  if (run.status !== 0) {
    failed++;
    process.stderr.write(`[bench] ${name} failed with exit code ${run.status ?? run.signal}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
