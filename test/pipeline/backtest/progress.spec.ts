import { describe, expect, it } from 'vitest';
import { createReplayProgress, renderReplayProgress } from '../../../pipeline/backtest/progress.js';

const at = Date.UTC(2024, 0, 3, 14, 30);

describe('replay progress', () => {
  it('renders the share read, tweets/s and the event time reached', () => {
    const line = renderReplayProgress({ read: 50_000, total: 200_000, eventTime: at }, 1_000, 8);
    expect(line).toBe('[##------] 25%  50,000/200,000 tweets  50,000 tweets/s  at 2024-01-03 14:30Z');
  });

  it('redraws one line on a terminal', () => {
    const written: string[] = [];
    let now = 0;
    const bar = createReplayProgress({ isTTY: true, write: (t) => written.push(t) }, { now: () => now });
    now = 500;
    bar.update({ read: 10, total: 20, eventTime: at });
    now = 600; // within the redraw interval: not drawn
    bar.update({ read: 11, total: 20, eventTime: at });
    bar.done();
    expect(written).toHaveLength(2);
    expect(written[0]!.startsWith('\r[')).toBe(true);
    expect(written[1]!.endsWith('\n')).toBe(true);
  });

  it('writes plain log lines when stderr is not a terminal', () => {
    const written: string[] = [];
    let now = 0;
    const bar = createReplayProgress({ isTTY: false, write: (t) => written.push(t) }, { now: () => now });
    now = 6_000;
    bar.update({ read: 10, total: 20, eventTime: at });
    expect(written).toEqual([expect.stringMatching(/^backtest: \[.*\] 50%.*\n$/)]);
    expect(written[0]).not.toContain('\r');
  });
});
