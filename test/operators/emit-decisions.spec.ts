import { describe, expect, it } from 'vitest';
import { createStrategy } from '../../operators/create-strategy.js';
import { createDecider, emitDecisions, nextPosition } from '../../operators/emit-decisions.js';
import { dropped } from '../../operators/tally-drops.js';
import type { Bucket, Decision, Position, Strategy, StrategyVerdict } from '../../operators/types.js';
import { bucket, HOUR, T0, testScheduler } from './support.js';

/** A strategy that replays a script of verdicts and records what it was shown. */
function scripted(actions: readonly ('BUY' | 'SELL' | 'HOLD')[], historySize = 3) {
  const seen: { history: readonly Bucket[]; position: Position }[] = [];
  let i = 0;
  const strategy: Strategy = {
    name: 'scripted',
    historySize,
    decide(history, position): StrategyVerdict {
      seen.push({ history: [...history], position });
      const action = actions[i++ % actions.length]!;
      return { action, size: action === 'HOLD' ? 0 : 0.5, reason: action.toLowerCase(), inputs: { i } };
    },
  };
  return { strategy, seen };
}

const hour = (h: number, overrides: Partial<Bucket> = {}) => bucket({ start: T0 + h * HOUR, ...overrides });

describe('createDecider', () => {
  it('makes exactly one decision per bucket with a deterministic id and the bucket end as time', () => {
    const { decide } = createDecider({ strategy: scripted(['HOLD']).strategy });
    const d = decide(hour(0));
    expect(d).toEqual({
      kind: 'decision',
      id: expect.stringMatching(/^[.A-Z:/a-z0-9_-]{1,36}$/),
      strategy: 'scripted',
      symbol: 'BTC',
      bucketStart: T0,
      decidedAt: T0 + HOUR,
      action: 'HOLD',
      size: 0,
      reason: 'hold',
      inputs: { i: 1 },
    });
    expect(createDecider({ strategy: scripted(['BUY']).strategy }).decide(hour(0)).id).toBe(d.id);
  });

  it('tracks its own position per symbol from its own decisions', () => {
    const { strategy, seen } = scripted(['BUY', 'BUY', 'SELL', 'SELL', 'HOLD']);
    const { decide } = createDecider({ strategy });
    for (let h = 0; h < 5; h++) decide(hour(h));
    decide(hour(0, { symbol: 'ETH' }));
    expect(seen.map((s) => s.position.exposure)).toEqual([0, 0.5, 1, 0.5, 0, 0]);
    expect(seen[2]!.position).toMatchObject({ openedAt: T0, lastTradeAt: T0 + HOUR });
    expect(seen[4]!.position).toMatchObject({ openedAt: null, lastTradeAt: T0 + 3 * HOUR });
    expect(seen[5]!.position.symbol).toBe('ETH');
  });

  it('shows the strategy a bounded history per symbol, oldest first, current last', () => {
    const { strategy, seen } = scripted(['HOLD'], 2);
    const { decide } = createDecider({ strategy });
    for (let h = 0; h < 4; h++) decide(hour(h));
    expect(seen[3]!.history.map((b) => b.start)).toEqual([T0 + 2 * HOUR, T0 + 3 * HOUR]);
  });

  it('resumes from initial positions and history', () => {
    const { strategy, seen } = scripted(['HOLD'], 3);
    const { decide } = createDecider({
      strategy,
      from: {
        positions: [{ symbol: 'BTC', exposure: 1, openedAt: T0 - HOUR, lastTradeAt: T0 - HOUR }],
        history: [hour(-2), hour(-1), hour(-1, { symbol: 'ETH' })],
      },
    });
    decide(hour(0));
    expect(seen[0]!.position.exposure).toBe(1);
    expect(seen[0]!.history.map((b) => b.start)).toEqual([T0 - 2 * HOUR, T0 - HOUR, T0]);
  });

  it('refuses to decide twice for a bucket, or for an older one', () => {
    const { decide } = createDecider({
      strategy: scripted(['HOLD']).strategy,
      from: { history: [hour(0)], positions: [] },
    });
    expect(() => decide(hour(0))).toThrow(RangeError);
    decide(hour(2));
    expect(() => decide(hour(1))).toThrow(/decided already/);
    expect(decide(hour(1, { symbol: 'ETH' })).symbol).toBe('ETH');
  });

  it('names decisions and ids after the name option when given', () => {
    const a = createDecider({ strategy: scripted(['HOLD']).strategy, name: 'fast' }).decide(hour(0));
    const b = createDecider({ strategy: scripted(['HOLD']).strategy }).decide(hour(0));
    expect(a.strategy).toBe('fast');
    expect(a.id).not.toBe(b.id);
  });
});

describe('nextPosition', () => {
  const flat: Position = { symbol: 'BTC', exposure: 0, openedAt: null, lastTradeAt: null };
  it.each([
    ['HOLD keeps the position', flat, 'HOLD', 0, flat],
    ['BUY opens', flat, 'BUY', 0.3, { symbol: 'BTC', exposure: 0.3, openedAt: 5, lastTradeAt: 5 }],
    [
      'BUY caps at 1',
      { ...flat, exposure: 0.8, openedAt: 1 },
      'BUY',
      0.5,
      { symbol: 'BTC', exposure: 1, openedAt: 1, lastTradeAt: 5 },
    ],
    [
      'SELL to flat closes',
      { ...flat, exposure: 0.1 + 0.2, openedAt: 1 },
      'SELL',
      0.3,
      { symbol: 'BTC', exposure: 0, openedAt: null, lastTradeAt: 5 },
    ],
  ] as const)('%s', (_, position, action, size, expected) => {
    expect(nextPosition(position, action, size, 5)).toEqual(expected);
  });
});

describe('emitDecisions', () => {
  const b0 = hour(0);
  const b1 = hour(1);
  const d = dropped('window', 'late', 'x', '1', T0);
  const holds = () => emitDecisions({ strategy: scripted(['HOLD']).strategy });
  const D = (start: number) =>
    expect.objectContaining<Partial<Decision>>({ kind: 'decision', bucketStart: start });

  it('completes at once on an empty source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Bucket>('|').pipe(holds())).toBe('|');
    });
  });

  it('emits the bucket then its decision for a single bucket', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a---|', { a: b0 }).pipe(holds())).toBe('-(aD)|', { a: b0, D: D(T0) });
    });
  });

  it('passes other items through and decides once per bucket among many', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-----d-b-----|', { a: b0, b: b1, d }).pipe(holds())).toBe('-(aX)--d-(bY)--|', {
        a: b0,
        b: b1,
        d,
        X: D(T0),
        Y: D(T0 + HOUR),
      });
    });
  });

  it('chains: one decision per strategy per bucket', () => {
    const second = emitDecisions({ strategy: scripted(['HOLD']).strategy, name: 'other' });
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a----|', { a: b0 }).pipe(holds(), second)).toBe('-(aYX)|', {
        a: b0,
        X: expect.objectContaining({ strategy: 'scripted' }),
        Y: expect.objectContaining({ strategy: 'other' }),
      });
    });
  });

  it('forwards a source error', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a----#', { a: b0 }).pipe(holds())).toBe('-(aD)-#', { a: b0, D: D(T0) });
    });
  });

  it('keeps going on a never-ending source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a--', { a: b0 }).pipe(holds())).toBe('-(aD)--', { a: b0, D: D(T0) });
    });
  });

  it('unsubscribes from the source on early unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b|', { a: b0, b: b1 });
      expectObservable(source.pipe(holds()), '^-!').toBe('-(aD)', { a: b0, D: D(T0) });
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('turns a throwing strategy into an error notification', () => {
    const broken: Strategy = {
      name: 'broken',
      historySize: 1,
      decide() {
        throw new Error('strategy bug');
      },
    };
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b', { a: b0, b: b1 }).pipe(emitDecisions({ strategy: broken }))).toBe(
        '-(a#)',
        { a: b0 },
        new Error('strategy bug'),
      );
    });
  });

  it('decides the same in a replay as live (fresh subscription, same buckets)', () => {
    const strategy = createStrategy('threshold', { threshold: 0.1, minCount: 1 });
    const buckets = [0.3, 0.2, -0.4, 0.5].map((m, h) => hour(h, { weightedMean: m }));
    const decide = () => {
      const decider = createDecider({ strategy });
      return buckets.map((b) => decider.decide(b));
    };
    const live = decide();
    expect(decide()).toEqual(live);
    expect(live.map((x) => x.action)).toEqual(['BUY', 'HOLD', 'SELL', 'BUY']);
  });
});
