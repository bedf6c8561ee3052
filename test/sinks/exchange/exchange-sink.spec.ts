import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../lib/errors.js';
import { createExchangeSink, type OrderRecorder } from '../../../sinks/exchange/exchange-sink.js';
import { createKillSwitch } from '../../../sinks/exchange/kill-switch.js';
import type { OrderRecord } from '../../../sinks/exchange/order-record.js';
import { createPaperExchange } from '../../../sinks/exchange/paper-exchange.js';
import type { RiskLimits } from '../../../sinks/exchange/risk.js';
import type { Exchange } from '../../../sinks/exchange/types.js';
import { createFixedPriceSource } from '../../../sinks/prices/candle-price-source.js';
import { decision, T0 } from '../../fixtures/exchange/decisions.js';

const limits: RiskLimits = {
  maxOrderNotional: 1_000,
  maxPositionNotional: 1_000,
  maxDailyLoss: 100,
  maxDecisionAgeMs: 3_600_000,
};
const noWait = { retries: 3, initialDelayMs: 1, sleep: async () => {} };

function memoryRecorder(): OrderRecorder & { records: OrderRecord[] } {
  const records: OrderRecord[] = [];
  return { records, record: async (batch) => void records.push(...batch) };
}

function setup(options: { usdt?: number; exchange?: Exchange; killFile?: string; now?: () => number } = {}) {
  const prices = createFixedPriceSource({ 'BTC/USDT': 20_000 });
  const exchange =
    options.exchange ??
    createPaperExchange({ priceSource: prices, balances: { USDT: options.usdt ?? 10_000 }, feeBps: 10 });
  const recorder = memoryRecorder();
  const sink = createExchangeSink({
    exchange,
    recorder,
    limits,
    killSwitch: createKillSwitch({ file: options.killFile ?? null }),
    now: options.now ?? (() => T0 + 1_000),
    readRetry: noWait,
  });
  return { exchange, recorder, sink, prices };
}

const statuses = (records: readonly OrderRecord[]) =>
  records.map((r) => `${r.status}${r.reason ? `:${r.reason}` : ''}`);

describe('exchange sink', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('sizes a BUY from the max position, records the attempt and the fill', async () => {
    const { sink, recorder, exchange } = setup();
    const records = await sink.execute(decision({ size: 0.5 }));
    expect(statuses(records)).toEqual(['attempt', 'filled']);
    const fill = records[1]!;
    expect(fill).toMatchObject({
      symbol: 'BTC',
      market: 'BTC/USDT',
      clientOrderId: decision().id,
      decisionId: decision().id,
      side: 'buy',
      filledAmount: 0.025,
      venue: 'paper',
      mode: 'paper',
    });
    expect(fill.feeCost).toBeCloseTo(0.5, 6);
    expect(recorder.records).toEqual(records);
    expect((await exchange.balances()).BTC?.total).toBeCloseTo(0.025, 10);
  });

  it('does nothing for HOLD', async () => {
    const { sink, recorder } = setup();
    expect(await sink.execute(decision({ action: 'HOLD', size: 0 }))).toEqual([]);
    expect(recorder.records).toEqual([]);
  });

  it('executes a duplicate decision once', async () => {
    const { sink, exchange } = setup();
    await sink.execute(decision());
    expect(await sink.execute(decision())).toEqual([]);
    expect((await exchange.balances()).BTC?.total).toBeCloseTo(0.025, 10);
  });

  it('after a restart finds the order by client order id and does not send it again', async () => {
    const first = setup();
    await first.sink.execute(decision());
    const second = createExchangeSink({
      exchange: first.exchange,
      recorder: first.recorder,
      limits,
      now: () => T0,
      readRetry: noWait,
    });
    const records = await second.execute(decision());
    expect(statuses(records)).toEqual(['filled']);
    expect(records[0]?.detail).toMatch(/not sent again/);
    expect((await first.exchange.balances()).BTC?.total).toBeCloseTo(0.025, 10);
  });

  it('records a rejection for insufficient balance', async () => {
    const { sink } = setup({ usdt: 100 });
    expect(statuses(await sink.execute(decision()))).toEqual(['attempt', 'rejected:insufficient_balance']);
  });

  it('stops new orders while the kill switch file exists, and resumes when it is removed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sentiflow-kill-'));
    const killFile = join(dir, 'STOP');
    const { sink, exchange } = setup({ killFile });
    writeFileSync(killFile, '');
    expect(statuses(await sink.execute(decision()))).toEqual(['refused:kill_switch']);
    expect((await exchange.balances()).BTC).toBeUndefined();
    rmSync(killFile);
    expect(statuses(await sink.execute(decision({ id: 'sf-next', bucketStart: T0 - 3_600_000 })))).toEqual([
      'attempt',
      'filled',
    ]);
  });

  it('refuses a buy beyond the max position and records why', async () => {
    const { sink } = setup();
    await sink.execute(decision({ id: 'sf-a', size: 1 }));
    const records = await sink.execute(decision({ id: 'sf-b', size: 0.5 }));
    expect(statuses(records)).toEqual(['refused:max_position']);
    expect(records[0]?.detail).toMatch(/position would be 1500\.00 > 1000\.00/);
  });

  it('refuses a stale decision', async () => {
    const { sink } = setup({ now: () => T0 + 2 * 3_600_000 });
    expect(statuses(await sink.execute(decision()))).toEqual(['refused:stale_decision']);
  });

  it('refuses buys once the daily loss limit is reached, still lets sells through', async () => {
    const { sink, prices } = setup();
    await sink.execute(decision({ id: 'sf-buy', size: 1 }));
    prices.set('BTC/USDT', 17_000); // 0.05 BTC lose 150 USDT
    expect(statuses(await sink.execute(decision({ id: 'sf-buy-2', size: 0.1 })))).toEqual([
      'refused:max_daily_loss',
    ]);
    expect(statuses(await sink.execute(decision({ id: 'sf-sell', action: 'SELL', size: 1 })))).toEqual([
      'attempt',
      'filled',
    ]);
  });

  it('looks an order up after an unclear placement and records the fill without sending twice', async () => {
    const paper = setup().exchange;
    let sends = 0;
    const flaky: Exchange = {
      ...paper,
      async placeMarketOrder(request) {
        sends += 1;
        await paper.placeMarketOrder(request);
        throw new UnavailableError('paper', 'response lost');
      },
    };
    const { sink } = setup({ exchange: flaky });
    const records = await sink.execute(decision());
    expect(statuses(records)).toEqual(['attempt', 'filled']);
    expect(records[1]?.detail).toMatch(/found by client order id/);
    expect(sends).toBe(1);
  });

  it('when an unclear placement left no order, records unknown, throws retriable, and the retry looks up first', async () => {
    const paper = setup().exchange;
    let fail = true;
    let sends = 0;
    const flaky: Exchange = {
      ...paper,
      async placeMarketOrder(request) {
        sends += 1;
        if (fail) throw new UnavailableError('paper', 'connection reset');
        return paper.placeMarketOrder(request);
      },
    };
    const { sink, recorder } = setup({ exchange: flaky });
    await expect(sink.execute(decision())).rejects.toMatchObject({ retriable: true });
    expect(statuses(recorder.records)).toEqual(['attempt', 'unknown:outcome_unknown']);
    fail = false;
    expect(statuses(await sink.execute(decision()))).toEqual(['attempt', 'filled']);
    expect(sends).toBe(2);
  });

  it('records an unknown symbol as a rejection', async () => {
    const { sink } = setup();
    expect(statuses(await sink.execute(decision({ symbol: 'PEPE', id: 'sf-pepe' })))).toEqual([
      'rejected:unknown_symbol',
    ]);
  });

  it('trades a decision that names a pair on that pair', async () => {
    const { sink } = setup();
    const records = await sink.execute(decision({ symbol: 'BTC/USDT', id: 'sf-pair' }));
    expect(records.map((r) => [r.symbol, r.market, r.status])).toEqual([
      ['BTC/USDT', 'BTC/USDT', 'attempt'],
      ['BTC/USDT', 'BTC/USDT', 'filled'],
    ]);
  });

  it('when recording the fill fails, a retry finds the placed order instead of sending again', async () => {
    const prices = createFixedPriceSource({ 'BTC/USDT': 20_000 });
    const exchange = createPaperExchange({ priceSource: prices, balances: { USDT: 10_000 } });
    const records: OrderRecord[] = [];
    let failNextFill = true;
    const sink = createExchangeSink({
      exchange,
      recorder: {
        async record(batch) {
          if (failNextFill && batch.some((r) => r.status === 'filled')) {
            failNextFill = false;
            throw new UnavailableError('clickhouse', 'insert timed out');
          }
          records.push(...batch);
        },
      },
      now: () => T0,
      readRetry: noWait,
    });
    await expect(sink.execute(decision())).rejects.toBeInstanceOf(UnavailableError);
    const retried = await sink.execute(decision());
    expect(statuses(retried)).toEqual(['filled']);
    expect(statuses(records)).toEqual(['attempt', 'filled']);
    expect((await exchange.balances()).BTC?.total).toBeCloseTo(0.025, 10);
  });
});
