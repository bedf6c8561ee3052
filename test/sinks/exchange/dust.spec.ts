/**
 * Exits close positions whole and what cannot be sold is dust, on the paper exchange through the
 * exchange sink (sizing, risk limits, venue rules): the path `process`, `trade` and backtests take.
 */
import { describe, expect, it } from 'vitest';
import { isDust, isFlat } from '../../../sinks/exchange/dust.js';
import { createExchangeSink, type OrderRecorder } from '../../../sinks/exchange/exchange-sink.js';
import type { OrderRecord } from '../../../sinks/exchange/order-record.js';
import { createPaperExchange } from '../../../sinks/exchange/paper-exchange.js';
import { decision, T0 } from '../../fixtures/exchange/decisions.js';

const BTC = { minAmount: 0.00001, minNotional: 5 };

describe('isDust', () => {
  it.each([
    ['nothing is not dust (it is flat)', 0, 20_000, false, true],
    ['float noise is nothing', 5.5e-17, 20_000, false, true],
    ['below the minimum amount', 0.000009, 20_000, true, true],
    ['below the minimum notional', 0.0002, 20_000, true, true],
    ['a sellable holding', 0.001, 20_000, false, false],
    ['the same holding after a crash', 0.001, 4_000, true, true],
  ])('%s', (_name, amount, price, dust, flat) => {
    expect(isDust(BTC, amount, price)).toBe(dust);
    expect(isFlat(BTC, amount, price)).toBe(flat);
  });
});

function world(options: { btc?: number; usdt?: number } = {}) {
  let price = 20_000;
  const exchange = createPaperExchange({
    priceSource: { priceAt: async () => price },
    balances: { USDT: options.usdt ?? 20_000, ...(options.btc ? { BTC: options.btc } : {}) },
    feeBps: 10,
  });
  const records: OrderRecord[] = [];
  const recorder: OrderRecorder = { record: async (batch) => void records.push(...batch) };
  const sink = createExchangeSink({
    exchange,
    recorder,
    limits: {
      maxOrderNotional: 13_100,
      maxPositionNotional: 13_100,
      maxDailyLoss: 1e9,
      maxDecisionAgeMs: null,
    },
    now: () => T0,
  });
  let hour = 0;
  const act = (action: 'BUY' | 'SELL', size: number) =>
    sink.execute(decision({ action, size, bucketStart: T0 + hour++ * 3_600_000 }));
  const btc = async () => (await exchange.balances()).BTC?.free ?? 0;
  const setPrice = (p: number): void => {
    price = p;
  };
  return { act, btc, records, setPrice };
}

describe('an exit on the paper exchange', () => {
  it('sells the whole balance after a rise, where sizing by the maximum position left 0.00098 BTC', async () => {
    const w = world();
    await w.act('BUY', 1); // 13,100 / 20,000 = 0.655 BTC
    expect(await w.btc()).toBe(0.655);
    w.setPrice(20_060); // 13,100 / 20,060 = 0.65304: the old rule sold that and kept 0.00196 BTC
    const [, filled] = await w.act('SELL', 1);
    expect(filled).toMatchObject({ status: 'filled', filledAmount: 0.655 });
    expect(await w.btc()).toBe(0);
  });

  it('is not held back by the order-notional limit when the position grew beyond it', async () => {
    const w = world();
    await w.act('BUY', 1);
    w.setPrice(40_000); // the position is worth 26,200 > 13,100
    const [, filled] = await w.act('SELL', 1);
    expect(filled).toMatchObject({ status: 'filled', filledAmount: 0.655 });
  });

  it('sells at the lot precision and leaves what is below it as dust', async () => {
    const w = world({ btc: 0.123456789 });
    const [, filled] = await w.act('SELL', 1);
    expect(filled).toMatchObject({ status: 'filled', filledAmount: 0.12345 });
    const left = await w.btc();
    expect(left).toBeCloseTo(0.000006789, 12);
    expect(isDust(BTC, left, 20_000)).toBe(true);
  });

  it('refuses, as dust, a whole balance below the minimum notional and keeps it', async () => {
    const w = world({ btc: 0.0002 }); // $4 < $5
    const records = await w.act('SELL', 1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'rejected', reason: 'below_min_notional' });
    expect(records[0]?.detail).toMatch(
      /^dust: the whole balance 0\.0002 BTC is below the venue minimum notional 5/,
    );
    expect(await w.btc()).toBe(0.0002);
  });

  it('refuses, as dust, a whole balance below the minimum amount', async () => {
    const w = world({ btc: 0.000009 });
    const records = await w.act('SELL', 1);
    expect(records[0]).toMatchObject({ status: 'rejected', reason: 'below_min_amount' });
    expect(records[0]?.detail).toMatch(/^dust:/);
  });

  it('leaves a partial sell sized by the maximum position', async () => {
    const w = world();
    await w.act('BUY', 1);
    const [, filled] = await w.act('SELL', 0.5);
    expect(filled).toMatchObject({ status: 'filled', filledAmount: 0.3275 });
    expect(await w.btc()).toBeCloseTo(0.3275, 12);
  });
});
