import { describe, expect, it } from 'vitest';
import { checkRisk, type RiskContext, type RiskLimits } from '../../../sinks/exchange/risk.js';

const limits: RiskLimits = {
  maxOrderNotional: 500,
  maxPositionNotional: 1_000,
  maxDailyLoss: 100,
  maxDecisionAgeMs: 60_000,
};
const base: RiskContext = {
  side: 'buy',
  notional: 400,
  positionNotional: 0,
  dailyLoss: 0,
  killSwitch: false,
  decisionAgeMs: 0,
};

describe('checkRisk', () => {
  it.each<[string, Partial<RiskContext>, string | null]>([
    ['an order inside every limit passes', {}, null],
    ['the kill switch refuses everything, sells too', { killSwitch: true, side: 'sell' }, 'kill_switch'],
    ['the kill switch wins over other breaches', { killSwitch: true, notional: 10_000 }, 'kill_switch'],
    ['a decision older than the age limit is stale', { decisionAgeMs: 60_001 }, 'stale_decision'],
    ['a decision exactly at the age limit passes', { decisionAgeMs: 60_000 }, null],
    ['an order that rounds to nothing is refused', { notional: 0 }, 'zero_quantity'],
    ['an order above the max order notional is refused', { notional: 500.01 }, 'max_order_notional'],
    ['an order at the max order notional passes', { notional: 500 }, null],
    [
      'a big sell is still bounded by the order notional',
      { side: 'sell', notional: 900 },
      'max_order_notional',
    ],
    ['a buy that would exceed the position limit is refused', { positionNotional: 700 }, 'max_position'],
    ['a buy that fills the position exactly passes', { positionNotional: 600 }, null],
    ['a sell is not stopped by the position limit', { side: 'sell', positionNotional: 5_000 }, null],
    ['a buy after the daily loss limit is refused', { dailyLoss: 100 }, 'max_daily_loss'],
    ['a sell after the daily loss limit passes (it reduces risk)', { side: 'sell', dailyLoss: 150 }, null],
  ])('%s', (_name, overrides, expected) => {
    const verdict = checkRisk({ ...base, ...overrides }, limits);
    expect(verdict.ok ? null : verdict.reason).toBe(expected);
    if (!verdict.ok) expect(verdict.detail.length).toBeGreaterThan(0);
  });

  it('skips the age check when maxDecisionAgeMs is null', () => {
    expect(checkRisk({ ...base, decisionAgeMs: 1e12 }, { ...limits, maxDecisionAgeMs: null }).ok).toBe(true);
  });
});
