import { describe, expect, it } from 'vitest';
import { createStrategy } from '../../operators/create-strategy.js';
import { createDecider } from '../../operators/emit-decisions.js';
import type { Bucket, Position } from '../../operators/types.js';
import { bucket, HOUR, T0 } from './support.js';

const flat: Position = { symbol: 'BTC', exposure: 0, openedAt: null, lastTradeAt: null };
const full: Position = { symbol: 'BTC', exposure: 1, openedAt: T0 - 10 * HOUR, lastTradeAt: T0 - 10 * HOUR };
const surge = createStrategy('surge', 'lookback=12,threshold=2,volumeThreshold=1,minCount=20,minHistory=6');

/** 8 trailing hours: sentiment ±0.1 (mean 0, std 0.1), volume 40/60 (mean 50, std 10); then the current hour. */
function history(current: Partial<Bucket>): Bucket[] {
  return [
    ...Array.from({ length: 8 }, (_, h) =>
      bucket({
        start: T0 + (h - 8) * HOUR,
        weightedMean: h % 2 === 0 ? 0.1 : -0.1,
        count: h % 2 === 0 ? 40 : 60,
      }),
    ),
    bucket({ start: T0, ...current }),
  ];
}

describe('surge strategy (sentiment and volume)', () => {
  it.each([
    [
      'buys a mood surge that volume carries',
      { weightedMean: 0.25, count: 70, positive: 40, negative: 5 },
      flat,
      'BUY',
      /z 2.500 >= 2/,
    ],
    [
      'holds a mood surge on ordinary volume',
      { weightedMean: 0.25, count: 55, positive: 40, negative: 5 },
      flat,
      'HOLD',
      /volume z 0.500 < 1/,
    ],
    [
      'holds a surge with more negative than positive tweets',
      { weightedMean: 0.25, count: 70, positive: 5, negative: 40 },
      flat,
      'HOLD',
      /balance -0.500 <= 0/,
    ],
    [
      'exits on a mood collapse whatever the volume',
      { weightedMean: -0.25, count: 50 },
      full,
      'SELL',
      /exit/,
    ],
    ['holds inside the threshold', { weightedMean: 0.1, count: 90 }, flat, 'HOLD', /within/],
    ['holds on thin volume', { weightedMean: 0.9, count: 5 }, flat, 'HOLD', /minCount/],
  ] as const)('%s', (_name, current, position, action, reason) => {
    const verdict = surge.decide(history(current), position);
    expect(verdict.action).toBe(action);
    expect(verdict.reason).toMatch(reason);
  });

  it('reports the sentiment z, the volume z and the balance it acted on', () => {
    const verdict = surge.decide(history({ weightedMean: 0.25, count: 70, positive: 40, negative: 5 }), flat);
    expect(verdict.inputs).toEqual({
      weightedMean: 0.25,
      count: 70,
      balance: 35,
      trailing: 8,
      z: 2.5,
      volumeZ: 2,
    });
  });

  it('warms up until minHistory trailing buckets exist', () => {
    expect(surge.decide(history({ weightedMean: 0.9, count: 90 }).slice(-4), flat).reason).toMatch(/3 of 6/);
  });

  it('decides on its own symbol only: other symbols interleaved change nothing', () => {
    const btc = Array.from({ length: 60 }, (_, h) =>
      bucket({
        start: T0 + h * HOUR,
        weightedMean: (((h * 7919) % 101) / 101 - 0.5) * 0.8,
        count: 30 + ((h * 37) % 50),
        positive: 20 + (h % 7),
        negative: 10,
      }),
    );
    const eth = btc.map((b, h) => ({ ...b, symbol: 'ETH', count: 500 - h, weightedMean: -b.weightedMean }));
    const eager = createStrategy('surge', 'lookback=12,threshold=1,volumeThreshold=0,cooldown=0');
    const alone = createDecider({ strategy: eager });
    const mixed = createDecider({ strategy: eager });
    const own = btc.map((b) => alone.decide(b));
    const together = btc
      .flatMap((b, h) => [mixed.decide(b), mixed.decide(eth[h]!)])
      .filter((d) => d.symbol === 'BTC');
    expect(together).toEqual(own);
    expect(new Set(own.map((d) => d.action))).toEqual(new Set(['BUY', 'SELL', 'HOLD']));
  });
});
