import { describe, expect, it } from 'vitest';
import { idleWatermark } from '../../../pipeline/process/run-process.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const MIN = 60_000;

describe('idleWatermark', () => {
  it('moves nothing before any input was seen', () => {
    expect(idleWatermark({ now: NOW, idleFor: 10 * MIN, latestEventTime: null, bound: 5 * MIN })).toBeNull();
  });

  it('follows the clock for a live stream', () => {
    expect(idleWatermark({ now: NOW, idleFor: 30_000, latestEventTime: NOW - 30_000, bound: 5 * MIN })).toBe(
      NOW - 5 * MIN,
    );
  });

  it('does not jump a replay of old tweets to now', () => {
    const lastEvent = Date.UTC(2026, 0, 1, 2, 40);
    expect(idleWatermark({ now: NOW, idleFor: 10_000, latestEventTime: lastEvent, bound: 5 * MIN })).toBe(
      lastEvent + 10_000 - 5 * MIN,
    );
  });
});
