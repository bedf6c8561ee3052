import { describe, expect, it } from 'vitest';
import { feeFor, fillPrice, floorToStep } from '../../../sinks/exchange/paper-fill.js';

describe('paper fill rules', () => {
  it('fills buys above and sells below the reference by the slippage', () => {
    const model = { fixedBps: 10, impactBpsPer10k: 0 };
    expect(fillPrice('buy', 100, 1_000, model)).toBeCloseTo(100.1, 10);
    expect(fillPrice('sell', 100, 1_000, model)).toBeCloseTo(99.9, 10);
  });

  it('grows slippage with the notional when the model has impact', () => {
    const model = { fixedBps: 0, impactBpsPer10k: 5 };
    expect(fillPrice('buy', 100, 20_000, model)).toBeCloseTo(100.1, 10);
  });

  it('charges the fee in basis points of the notional', () => {
    expect(feeFor(1_000, 10)).toBeCloseTo(1, 10);
  });

  it.each([
    [0.123456789, 0.00001, 0.12345],
    [0.3, 0.1, 0.3],
    [0.7, 0.1, 0.7],
    [0.000009, 0.00001, 0],
    [5, 1, 5],
  ])('floors %s to a multiple of %s', (amount, step, expected) => {
    expect(floorToStep(amount, step)).toBe(expected);
  });
});
