/**
 * The real ccxt Binance client against the fake Binance REST API (test/support/fake-exchange.ts),
 * driven through the exchange sink: what reaches the "exchange" is what ccxt really sends.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { describeError } from '../../../lib/errors.js';
import { createLogger } from '../../../pipeline/logger.js';
import { createCcxtExchange } from '../../../sinks/exchange/ccxt-exchange.js';
import { createExchangeSink } from '../../../sinks/exchange/exchange-sink.js';
import { createKillSwitch } from '../../../sinks/exchange/kill-switch.js';
import { type OrderRecord, toOrderRow } from '../../../sinks/exchange/order-record.js';
import type { RiskLimits } from '../../../sinks/exchange/risk.js';
import { decision } from '../../fixtures/exchange/decisions.js';
import { type FakeExchange, startFakeExchange } from '../../support/fake-exchange.js';

const API_KEY = 'k3y-AbCdEf0123456789';
const SECRET = 's3cr3t-ZyXwVu9876543210';
const limits: RiskLimits = {
  maxOrderNotional: 1_000,
  maxPositionNotional: 1_000,
  maxDailyLoss: 100,
  maxDecisionAgeMs: null,
};
const noWait = { retries: 3, initialDelayMs: 1, sleep: async () => {} };

let fake: FakeExchange | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup(options: { usdt?: number; secret?: string; timeoutMs?: number; killed?: boolean } = {}) {
  fake = await startFakeExchange({
    apiKey: API_KEY,
    secret: SECRET,
    balances: { USDT: options.usdt ?? 10_000 },
    prices: { BTCUSDT: 20_000 },
  });
  const records: OrderRecord[] = [];
  const exchange = createCcxtExchange({
    exchangeId: 'binance',
    apiKey: API_KEY,
    secret: options.secret ?? SECRET,
    apiUrl: fake.url,
    timeoutMs: options.timeoutMs ?? 5_000,
    enableRateLimit: false,
  });
  const makeSink = () =>
    createExchangeSink({
      exchange,
      recorder: { record: async (batch) => void records.push(...batch) },
      limits,
      killSwitch: createKillSwitch({ engaged: options.killed ?? false }),
      readRetry: noWait,
    });
  return { fake, exchange, records, sink: makeSink(), makeSink };
}

const statuses = (records: readonly OrderRecord[]) =>
  records.map((r) => `${r.status}${r.reason ? `:${r.reason}` : ''}`);
const POST_ORDER = 'POST /api/v3/order';

describe('ccxt Binance adapter against the fake exchange', () => {
  it('places a signed market order with the decision id as client order id and records the fill', async () => {
    const { sink, fake } = await setup();
    const records = await sink.execute(decision({ size: 0.5 }));
    expect(statuses(records)).toEqual(['attempt', 'filled']);
    expect(fake.orders).toHaveLength(1);
    expect(fake.orders[0]).toMatchObject({ clientOrderId: decision().id, side: 'BUY', qty: 0.025 });
    expect(records[1]).toMatchObject({
      venue: 'binance',
      mode: 'live',
      exchangeOrderId: '1000',
      filledAmount: 0.025,
      averagePrice: 20_000,
    });
    expect(records[1]?.feeCost).toBeCloseTo(0.5, 6);
    const post = fake.requests.find((r) => `${r.method} ${r.path}` === POST_ORDER);
    expect(post?.body).toMatch(/newClientOrderId=sf-zscore-BTC-\d+/);
    expect(post?.body).toMatch(/&signature=[0-9a-f]{64}$/);
  });

  it('sends a duplicate decision once, also after a restart of the sink', async () => {
    const { sink, makeSink, fake } = await setup();
    await sink.execute(decision());
    expect(await sink.execute(decision())).toEqual([]);
    const restarted = makeSink();
    expect(statuses(await restarted.execute(decision()))).toEqual(['filled']);
    expect(fake.count(POST_ORDER)).toBe(1);
  });

  it('after a timeout on an accepted order, finds it by client order id and does not send again', async () => {
    const { sink, fake } = await setup({ timeoutMs: 400 });
    fake.fail(POST_ORDER, { kind: 'accept-then-hang' });
    const records = await sink.execute(decision());
    expect(statuses(records)).toEqual(['attempt', 'filled']);
    expect(records[1]?.detail).toMatch(/outcome unknown; found by client order id/);
    expect(fake.count(POST_ORDER)).toBe(1);
    expect(fake.orders).toHaveLength(1);
  });

  it('retries lookups on 5xx', async () => {
    const { sink, fake } = await setup();
    fake.fail('GET /api/v3/order', { kind: 'status', status: 503 }, 2);
    expect(statuses(await sink.execute(decision()))).toEqual(['attempt', 'filled']);
    expect(fake.count('GET /api/v3/order')).toBe(3);
  });

  it('does not retry a placement that failed with 5xx: records unknown, and the next try looks up first', async () => {
    const { sink, fake, records } = await setup();
    fake.fail(POST_ORDER, { kind: 'status', status: 502 });
    await expect(sink.execute(decision())).rejects.toMatchObject({ retriable: true });
    expect(statuses(records)).toEqual(['attempt', 'unknown:outcome_unknown']);
    expect(fake.count(POST_ORDER)).toBe(1);
    const lookupsBefore = fake.count('GET /api/v3/order');
    expect(statuses(await sink.execute(decision()))).toEqual(['attempt', 'filled']);
    expect(fake.count('GET /api/v3/order')).toBeGreaterThan(lookupsBefore);
    expect(fake.count(POST_ORDER)).toBe(2);
    expect(fake.orders).toHaveLength(1);
  });

  it('records insufficient balance as a rejection', async () => {
    const { sink, fake } = await setup({ usdt: 50 });
    expect(statuses(await sink.execute(decision()))).toEqual(['attempt', 'rejected:insufficient_balance']);
    expect(fake.orders).toHaveLength(0);
  });

  it('sends nothing while the kill switch is engaged', async () => {
    const { sink, fake } = await setup({ killed: true });
    expect(statuses(await sink.execute(decision()))).toEqual(['refused:kill_switch']);
    expect(fake.count(POST_ORDER)).toBe(0);
  });

  it('refuses an order above the max order notional before it reaches the exchange', async () => {
    const { fake, exchange, records } = await setup();
    const tight = createExchangeSink({
      exchange,
      recorder: { record: async (batch) => void records.push(...batch) },
      limits: { ...limits, maxOrderNotional: 100 },
      readRetry: noWait,
    });
    expect(statuses(await tight.execute(decision()))).toEqual(['refused:max_order_notional']);
    expect(fake.count(POST_ORDER)).toBe(0);
  });

  it('does not send an order below the venue minimum notional from loadMarkets', async () => {
    const { sink, fake } = await setup();
    const records = await sink.execute(decision({ size: 0.004 }));
    expect(records.map((r) => `${r.status}:${r.reason}`)).toEqual(['rejected:below_min_notional']);
    expect(records[0]).toMatchObject({ requestedAmount: 0.0002, referencePrice: 20_000 });
    expect(fake.count(POST_ORDER)).toBe(0);
  });

  it('respects the lot size from loadMarkets', async () => {
    const { exchange } = await setup();
    expect(await exchange.roundAmount('BTC/USDT', 0.0123456789)).toBe(0.01234);
    expect(await exchange.market('BTC/USDT')).toMatchObject({ minAmount: 0.00001, minNotional: 5 });
    expect(await exchange.market('NOPE/USDT')).toBeNull();
  });

  it('turns a bad signature into one clear non-retriable line that holds no secret', async () => {
    const { sink, fake } = await setup({ secret: 'wrong-secret-0000000000' });
    const error = await sink.execute(decision()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RejectedError', retriable: false });
    const line = describeError(error);
    expect(line).toMatch(
      /exchange binance fetchOrder failed \(AuthenticationError: .*Signature for this request is not valid/,
    );
    expect(line).not.toContain('wrong-secret-0000000000');
    expect(line).not.toContain(API_KEY);
    expect(fake.count(POST_ORDER)).toBe(0);
  });

  it('keeps API keys out of logs, errors and order rows', async () => {
    const { sink, fake, records } = await setup({ timeoutMs: 400 });
    let logged = '';
    const logger = createLogger({
      level: 'trace',
      pretty: false,
      destination: new Writable({
        write(chunk, _encoding, done) {
          logged += String(chunk);
          done();
        },
      }),
    });
    fake.fail(POST_ORDER, { kind: 'status', status: 500 });
    const error = await sink.execute(decision()).catch((e: unknown) => e);
    logger.error({ err: error, records }, describeError(error));
    fake.fail('GET /api/v3/order', { kind: 'status', status: 400 }, 10);
    const second = await sink.execute(decision({ id: 'sf-other' })).catch((e: unknown) => e);
    logger.error({ err: second }, describeError(second));
    const rows = JSON.stringify(records.map(toOrderRow));
    for (const secret of [API_KEY, SECRET]) {
      expect(logged).not.toContain(secret);
      expect(rows).not.toContain(secret);
      expect(describeError(error)).not.toContain(secret);
      expect(describeError(second)).not.toContain(secret);
    }
    expect(logged).toContain('outcome unknown');
    expect(describeError(second)).not.toMatch(/signature=[0-9a-f]{8}/);
  });
});
