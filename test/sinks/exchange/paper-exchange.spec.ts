import { describe, expect, it } from 'vitest';
import { createPaperExchange } from '../../../sinks/exchange/paper-exchange.js';
import { createFixedPriceSource } from '../../../sinks/prices/candle-price-source.js';

const order = (clientOrderId: string, side: 'buy' | 'sell', amount: number, symbol = 'BTC/USDT') => ({
  clientOrderId,
  symbol,
  side,
  amount,
  at: 0,
});

function paper(options: { feeBps?: number; fixedBps?: number; usdt?: number } = {}) {
  return createPaperExchange({
    priceSource: createFixedPriceSource({ 'BTC/USDT': 20_000 }),
    balances: { USDT: options.usdt ?? 1_000 },
    feeBps: options.feeBps ?? 10,
    slippage: { fixedBps: options.fixedBps ?? 0, impactBpsPer10k: 0 },
  });
}

describe('paper exchange', () => {
  it('fills a market buy at the reference price plus slippage and charges the fee in quote', async () => {
    const exchange = paper({ fixedBps: 10 });
    const result = await exchange.placeMarketOrder(order('a', 'buy', 0.01));
    expect(result.kind).toBe('accepted');
    if (result.kind !== 'accepted') return;
    expect(result.order.average).toBeCloseTo(20_020, 6);
    expect(result.order.cost).toBeCloseTo(200.2, 6);
    expect(result.order.fee).toEqual({ cost: expect.closeTo(0.2002, 8), currency: 'USDT' });
    const balances = await exchange.balances();
    expect(balances.USDT?.free).toBeCloseTo(1_000 - 200.2 - 0.2002, 6);
    expect(balances.BTC?.free).toBeCloseTo(0.01, 12);
  });

  it('sells what it holds and credits the quote minus the fee', async () => {
    const exchange = paper({ feeBps: 0 });
    await exchange.placeMarketOrder(order('a', 'buy', 0.02));
    const result = await exchange.placeMarketOrder(order('b', 'sell', 0.02));
    expect(result.kind).toBe('accepted');
    const balances = await exchange.balances();
    expect(balances.BTC?.free).toBe(0);
    expect(balances.USDT?.free).toBeCloseTo(1_000, 6);
  });

  it.each([
    ['insufficient quote for a buy', order('x', 'buy', 0.1), 'insufficient_balance'],
    ['selling more than held', order('x', 'sell', 0.001), 'insufficient_balance'],
    ['below the minimum amount', order('x', 'buy', 0.000001), 'below_min_amount'],
    ['an amount off the lot step', order('x', 'buy', 0.010001), 'invalid_order'],
    ['a zero amount', order('x', 'buy', 0), 'invalid_order'],
    ['below the minimum notional', order('x', 'buy', 0.0002), 'below_min_notional'],
    ['an unknown symbol', order('x', 'buy', 1, 'DOGE/EUR'), 'unknown_symbol'],
  ])('rejects %s', async (_name, request, reason) => {
    const exchange = paper();
    const result = await exchange.placeMarketOrder(request);
    expect(result).toMatchObject({ kind: 'rejected', reason });
    expect((await exchange.balances()).USDT?.free).toBe(1_000);
  });

  it('rejects a reused client order id and finds the first order by it', async () => {
    const exchange = paper();
    await exchange.placeMarketOrder(order('same', 'buy', 0.01));
    expect(await exchange.placeMarketOrder(order('same', 'buy', 0.01))).toMatchObject({
      reason: 'duplicate_client_order_id',
    });
    expect(await exchange.findOrder('BTC/USDT', 'same')).toMatchObject({
      clientOrderId: 'same',
      filled: 0.01,
    });
    expect(await exchange.findOrder('BTC/USDT', 'other')).toBeNull();
  });

  it('rejects with no_price when the price source knows no price', async () => {
    const exchange = createPaperExchange({ priceSource: createFixedPriceSource({}) });
    expect(await exchange.placeMarketOrder(order('a', 'buy', 0.01))).toMatchObject({ reason: 'no_price' });
  });

  it('is deterministic: the same orders give the same fills, ids and balances', async () => {
    const run = async () => {
      const exchange = paper({ fixedBps: 7 });
      const results = [];
      for (const [id, side, amount] of [
        ['a', 'buy', 0.02],
        ['b', 'sell', 0.005],
        ['c', 'buy', 0.01],
      ] as const) {
        results.push(await exchange.placeMarketOrder(order(id, side, amount)));
      }
      return { results, balances: await exchange.balances() };
    };
    expect(await run()).toEqual(await run());
  });

  it('rounds amounts down to the lot step', async () => {
    expect(await paper().roundAmount('BTC/USDT', 0.0123456)).toBe(0.01234);
  });

  it('rebuilds balances and known orders from the fills of an earlier run', async () => {
    const first = paper({ fixedBps: 5 });
    const a = await first.placeMarketOrder(order('a', 'buy', 0.02));
    const b = await first.placeMarketOrder(order('b', 'sell', 0.005));
    const history = [a, b].flatMap((r) => (r.kind === 'accepted' ? [r.order] : []));
    const restarted = createPaperExchange({
      priceSource: createFixedPriceSource({ 'BTC/USDT': 20_000 }),
      balances: { USDT: 1_000 },
      history,
    });
    expect(await restarted.balances()).toEqual(await first.balances());
    expect(await restarted.findOrder('BTC/USDT', 'a')).toEqual(history[0]);
    const next = await restarted.placeMarketOrder(order('c', 'buy', 0.001));
    expect(next.kind === 'accepted' && next.order.id).toBe('paper-3');
  });
});
