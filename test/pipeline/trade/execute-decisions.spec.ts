/**
 * Tests pipeline/trade/execute-decisions.ts (the retrying hook for `process` and `trade`). It sits
 * here because it is about the exchange sink's contract; it belongs in test/pipeline/trade/.
 */
import { describe, expect, it } from 'vitest';
import { RejectedError, UnavailableError } from '../../../lib/errors.js';
import { createDecisionExecutor, executeWithRetry } from '../../../pipeline/trade/execute-decisions.js';
import { createExchangeSink } from '../../../sinks/exchange/exchange-sink.js';
import type { OrderRecord } from '../../../sinks/exchange/order-record.js';
import { createPaperExchange } from '../../../sinks/exchange/paper-exchange.js';
import type { Exchange } from '../../../sinks/exchange/types.js';
import { createFixedPriceSource } from '../../../sinks/prices/candle-price-source.js';
import { decision, T0 } from '../../fixtures/exchange/decisions.js';

function flakySink(failures: number, error: Error = new UnavailableError('paper', 'connection reset')) {
  const paper = createPaperExchange({ priceSource: createFixedPriceSource({ 'BTC/USDT': 20_000 }) });
  let left = failures;
  let sends = 0;
  const exchange: Exchange = {
    ...paper,
    async placeMarketOrder(request) {
      sends += 1;
      if (left-- > 0) throw error;
      return paper.placeMarketOrder(request);
    },
  };
  const records: OrderRecord[] = [];
  const sink = createExchangeSink({
    exchange,
    recorder: { record: async (batch) => void records.push(...batch) },
    now: () => T0,
    readRetry: { retries: 0, initialDelayMs: 1, sleep: async () => {} },
  });
  return { sink, records, sends: () => sends };
}

describe('executeWithRetry', () => {
  it('retries an unclear outcome with back-off until the order is placed once', async () => {
    const { sink, sends } = flakySink(2);
    const waits: number[] = [];
    const records = await executeWithRetry(sink, decision(), {
      retryDelayMs: 10,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(records.map((r) => r.status)).toEqual(['attempt', 'filled']);
    expect(waits).toEqual([10, 20]);
    expect(sends()).toBe(3);
  });

  it('gives up after the attempts and rethrows the retriable error', async () => {
    const { sink } = flakySink(10);
    await expect(
      executeWithRetry(sink, decision(), { retryAttempts: 3, sleep: async () => {} }),
    ).rejects.toBeInstanceOf(UnavailableError);
  });

  it('does not retry a non-retriable error', async () => {
    const { sink, sends } = flakySink(1, new RejectedError('paper', 'bad key'));
    await expect(executeWithRetry(sink, decision(), { sleep: async () => {} })).rejects.toBeInstanceOf(
      RejectedError,
    );
    expect(sends()).toBe(1);
  });

  it('executes a batch of decisions in order', async () => {
    const { sink, records } = flakySink(0);
    const execute = createDecisionExecutor(sink, { sleep: async () => {} });
    await execute([
      decision({ id: 'sf-1' }),
      decision({ id: 'sf-2', action: 'HOLD', size: 0 }),
      decision({ id: 'sf-3', action: 'SELL', size: 1 }),
    ]);
    expect(records.map((r) => `${r.clientOrderId}:${r.status}`)).toEqual([
      'sf-1:attempt',
      'sf-1:filled',
      'sf-3:attempt',
      'sf-3:filled',
    ]);
  });
});
