import { afterEach, describe, expect, it, vi } from 'vitest';
import { emit } from '../../bench/lib.js';

describe('emit', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes one JSON line naming the Node that measured, after the common fields', () => {
    const write = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    emit({ bench: 'b', value: 2, unit: 'x/s', baseline: 1, ratio: 2, peak_rss_mb: 10 });
    expect(write).toHaveBeenCalledTimes(1);
    const line = String(write.mock.calls[0]?.[0]);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    const parsed: Record<string, unknown> = JSON.parse(line);
    expect(Object.keys(parsed)).toEqual([
      'bench',
      'value',
      'unit',
      'baseline',
      'ratio',
      'node',
      'peak_rss_mb',
    ]);
    expect(parsed.node).toBe(process.version);
  });
});
