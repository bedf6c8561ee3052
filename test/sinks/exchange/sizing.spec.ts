import { describe, expect, it } from 'vitest';
import { orderAmount, type SizingInput } from '../../../sinks/exchange/sizing.js';

const base: SizingInput = {
  side: 'buy',
  size: 0.5,
  price: 20_000,
  maxPositionNotional: 1_000,
  held: 0,
  minAmount: 0.00001,
  minNotional: 5,
};

describe('orderAmount', () => {
  it.each<[string, Partial<SizingInput>, number]>([
    ['a buy is size * max notional / price', {}, 0.025],
    ['size is clamped to 1', { size: 3 }, 0.05],
    ['a negative or NaN size buys nothing', { size: Number.NaN }, 0],
    ['no price, no order', { price: 0 }, 0],
    ['a sell takes size * max notional / price from the holding', { side: 'sell', held: 0.05 }, 0.025],
    ['a sell never exceeds what is held', { side: 'sell', size: 0.9, held: 0.01 }, 0.01],
    [
      'an exit (size 1) sells the whole holding, even worth more than the maximum',
      { side: 'sell', size: 1, held: 0.07 },
      0.07,
    ],
    [
      "an exit after a rise sells it all, not the maximum position at today's price",
      { side: 'sell', size: 1, held: 0.05, price: 40_000 },
      0.05,
    ],
    ['a sell that would leave dust sells everything', { side: 'sell', held: 0.02501 }, 0.02501],
    ['a sell with nothing held is nothing', { side: 'sell', held: 0 }, 0],
  ])('%s', (_name, overrides, expected) => {
    expect(orderAmount({ ...base, ...overrides })).toBeCloseTo(expected, 10);
  });
});
