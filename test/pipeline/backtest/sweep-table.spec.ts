import { describe, expect, it } from 'vitest';
import { rankResults } from '../../../pipeline/backtest/run-backtest.js';
import { overfittingWarning, sweepTable } from '../../../pipeline/backtest/sweep-table.js';
import { fixtureResult } from '../../sinks/reports/fixture.js';

function run(runId: string, sharpe: number | null, totalReturn: number, threshold: number) {
  const base = fixtureResult(4);
  return { ...base, runId, summary: { ...base.summary, sharpe, totalReturn, params: { threshold } } };
}

describe('sweep ranking and table', () => {
  it('ranks by Sharpe, then total return, runs without a Sharpe last', () => {
    const ranked = rankResults([
      run('a', 0.5, 0.1, 1),
      run('b', null, 0.9, 2),
      run('c', 1.5, 0.05, 3),
      run('d', 0.5, 0.2, 4),
    ]);
    expect(ranked.map((r) => r.runId)).toEqual(['c', 'd', 'a', 'b']);
  });

  it('prints one row per run, best first, with its parameters', () => {
    const lines = sweepTable(rankResults([run('bt-x', 0.4, 0.1, 1.5), run('bt-y', 1.2, -0.02, 2)])).split(
      '\n',
    );
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^rank\s+params\s+return/);
    expect(lines[1]).toMatch(/^\s*1\s+threshold=2\s+-2\.00%.*1\.20.*bt-y$/);
    expect(lines[2]).toMatch(/^\s*2\s+threshold=1\.5\s+10\.00%.*bt-x$/);
  });

  it('warns about overfitting with the number of combinations tried', () => {
    expect(overfittingWarning(6)).toMatch(/^warning: 6 parameter combinations were tried.*out-of-sample/);
  });
});
