import { describe, expect, it } from 'vitest';
import { resolveTradingMode } from '../../../sinks/exchange/trading-mode.js';

describe('resolveTradingMode', () => {
  it.each<[boolean, string | undefined, 'paper' | 'live', boolean]>([
    [false, undefined, 'paper', false],
    [false, 'I_UNDERSTAND', 'paper', false],
    [true, undefined, 'paper', true],
    [true, 'yes', 'paper', true],
    [true, 'i_understand', 'paper', true],
    [true, 'I_UNDERSTAND', 'live', false],
  ])('--live=%s with SENTIFLOW_LIVE=%s trades %s', (live, confirmation, mode, warns) => {
    const decision = resolveTradingMode(live, confirmation);
    expect(decision.mode).toBe(mode);
    expect(decision.warning !== null).toBe(warns);
  });
});
