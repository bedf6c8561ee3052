import { describe, expect, it } from 'vitest';
import {
  type BackoffState,
  type Failure,
  INITIAL_BACKOFF,
  nextBackoff,
} from '../../../pipeline/sources/backoff.js';

function delays(failures: readonly Failure[], nowMs = 0): number[] {
  let state: BackoffState = INITIAL_BACKOFF;
  return failures.map((failure) => {
    const step = nextBackoff(state, failure, nowMs);
    state = step.state;
    return step.delayMs;
  });
}

const times = (n: number, failure: Failure): Failure[] => Array.from({ length: n }, () => failure);

describe('nextBackoff (X reconnect policy)', () => {
  it.each([
    ['network errors grow linearly by 250 ms', times(5, { kind: 'network' }), [250, 500, 750, 1000, 1250]],
    ['HTTP errors double from 5 s', times(4, { kind: 'http' }), [5000, 10000, 20000, 40000]],
    ['a dropped connection is retried at once, then linearly', times(3, { kind: 'dropped' }), [0, 250, 500]],
    ['429 doubles from one minute', times(3, { kind: 'rate-limit' }), [60_000, 120_000, 240_000]],
  ] as const)('%s', (_name, failures, expected) => {
    expect(delays(failures)).toEqual(expected);
  });

  it('caps network back-off at 16 s', () => {
    expect(delays(times(66, { kind: 'network' })).slice(-3)).toEqual([16_000, 16_000, 16_000]);
  });

  it('caps HTTP back-off at 320 s', () => {
    expect(delays(times(8, { kind: 'http' })).slice(-4)).toEqual([80_000, 160_000, 320_000, 320_000]);
  });

  it('caps 429 back-off at one rate-limit window plus a minute', () => {
    expect(delays(times(8, { kind: 'rate-limit' })).at(-1)).toBe(960_000);
  });

  it('waits until the rate-limit reset when the header lies in the future', () => {
    expect(delays([{ kind: 'rate-limit', resetAtMs: 1_000_000 + 42_000 }], 1_000_000)).toEqual([42_000]);
  });

  it('falls back to exponential when the reset already passed', () => {
    expect(delays([{ kind: 'rate-limit', resetAtMs: 999_000 }], 1_000_000)).toEqual([60_000]);
  });

  it('restarts the schedule when the kind of failure changes', () => {
    const failures: Failure[] = [{ kind: 'http' }, { kind: 'http' }, { kind: 'network' }, { kind: 'http' }];
    expect(delays(failures)).toEqual([5000, 10000, 250, 5000]);
  });
});
