import { describe, expect, it } from 'vitest';
import { idleEventTime } from '../../../../pipeline/runtime/topology/topology.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const MIN = 60_000;

describe('idleEventTime', () => {
  it('moves nothing before any input was seen', () => {
    expect(idleEventTime(NOW, 10 * MIN, null)).toBeNull();
  });

  it('follows the clock for a live stream', () => {
    expect(idleEventTime(NOW, 30_000, NOW - 30_000)).toBe(NOW);
  });

  it('does not jump a replay of old tweets to now', () => {
    const lastEvent = Date.UTC(2026, 0, 1, 2, 40);
    expect(idleEventTime(NOW, 10_000, lastEvent)).toBe(lastEvent + 10_000);
  });
});
