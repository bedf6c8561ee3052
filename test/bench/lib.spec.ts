import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emit, trackMachineCpu } from '../../bench/lib.js';

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

describe('trackMachineCpu', () => {
  it("counts the machine's busy CPU-seconds, this process's included, and its idle ones", () => {
    const meter = trackMachineCpu();
    const started = performance.now();
    let spin = 0;
    while (performance.now() - started < 400) spin++;
    const cpu = meter.stop();
    if (process.platform !== 'linux') return expect(cpu).toBeNull();
    expect(spin).toBeGreaterThan(0);
    // 0.4 s of one core spinning, counted in 0.01 s ticks and rounded to 0.1 s.
    expect(cpu?.busy).toBeGreaterThanOrEqual(0.3);
    expect((cpu?.busy ?? 0) + (cpu?.idle ?? 0)).toBeLessThanOrEqual(0.6 * availableParallelism());
  });
});
