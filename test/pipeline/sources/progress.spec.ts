import { describe, expect, it } from 'vitest';
import { createProgressBar, renderProgress } from '../../../pipeline/sources/progress.js';

describe('renderProgress', () => {
  it.each([
    [{ bytes: 0, totalBytes: 100, lines: 0, rejected: 0 }, '[----------]   0%  0 lines  0 rejected'],
    [
      { bytes: 50, totalBytes: 100, lines: 12000, rejected: 3 },
      '[#####-----]  50%  12,000 lines  3 rejected',
    ],
    [{ bytes: 5, totalBytes: 0, lines: 1, rejected: 0 }, '[##########] 100%  1 lines  0 rejected'],
  ])('%j', (snapshot, expected) => {
    expect(renderProgress(snapshot, 10)).toBe(expected);
  });
});

describe('createProgressBar', () => {
  const snapshot = { bytes: 1, totalBytes: 2, lines: 1, rejected: 0 };

  it('draws on a terminal, throttled, and ends the line when done', () => {
    const written: string[] = [];
    let t = 0;
    const bar = createProgressBar({ isTTY: true, write: (s: string) => written.push(s) }, { now: () => t });
    bar.update(snapshot);
    t = 50;
    bar.update(snapshot);
    t = 150;
    bar.update(snapshot);
    bar.done(snapshot);
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^\r\[/);
    expect(written[2]).toMatch(/\n$/);
  });

  it('stays silent when the output is not a terminal', () => {
    const written: string[] = [];
    const bar = createProgressBar({ isTTY: false, write: (s: string) => written.push(s) });
    bar.update(snapshot);
    bar.done(snapshot);
    expect(written).toEqual([]);
  });
});
