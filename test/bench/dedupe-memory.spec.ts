import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/services/paths.js';

function runBench(count: string) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', join(repoRoot, 'bench', 'operators.dedupe_memory.ts')],
    { cwd: repoRoot, env: { ...process.env, DEDUPE_COUNT: count }, encoding: 'utf8', timeout: 60_000 },
  );
}

// The bench reads its envelopes from a child process; this runs it small and checks its one line.
// Each run spawns the bench and its generator: seconds alone, more on a busy machine.
describe('operators.dedupe_memory', { timeout: 60_000 }, () => {
  it('consumes every envelope the generator child writes and reports one result line', () => {
    const run = runBench('30000');
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(result).toMatchObject({ bench: 'operators.dedupe_memory', unit: 'MB', envelopes: 30_000 });
    expect(result.kept).toBeGreaterThan(10_000);
    expect(result.kept).toBeLessThan(30_000);
    expect(result.value).toBeGreaterThan(0);
    expect(result.heap_at_end_mb).toBeGreaterThan(0);
  });

  it('rejects a count that is not a whole number in one line, before starting the generator', () => {
    const run = runBench('5e');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe('[bench] DEDUPE_COUNT must be a whole number >= 1, not "5e"');
  });
});
