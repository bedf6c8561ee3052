import { describe, expect, it } from 'vitest';
import { makeRecord, versionOf } from '../../../sinks/exchange/order-record.js';
import { createMemoryRecorder, createOrderRecorder } from '../../../sinks/exchange/order-recorder.js';
import type { OutgoingMessage, TopicProducer } from '../../../sinks/kafka/producer.js';
import { decision, T0 } from '../../fixtures/exchange/decisions.js';

const record = (status: 'attempt' | 'filled', recordedAt = T0) =>
  makeRecord(
    {
      decision: decision(),
      clientOrderId: decision().id,
      market: 'BTC/USDT',
      side: 'buy',
      venue: 'paper',
      mode: 'paper',
      recordedAt,
    },
    { status, requestedAmount: 0.01 },
  );

describe('order records', () => {
  it('go to the orders topic keyed by client order id, with the status in a header', async () => {
    const sent: { topic: string; messages: readonly OutgoingMessage[] }[] = [];
    const producer: TopicProducer = {
      send: async (topic, messages) => void sent.push({ topic, messages }),
      flush: async () => {},
      close: async () => {},
    };
    await createOrderRecorder({ producer, topic: 'orders.test' }).record([record('attempt')]);
    expect(sent).toHaveLength(1);
    const [message] = sent[0]?.messages ?? [];
    expect(sent[0]?.topic).toBe('orders.test');
    expect(message).toMatchObject({
      key: decision().id,
      timestamp: T0,
      headers: { status: 'attempt', symbol: 'BTC' },
    });
    expect(JSON.parse(String(message?.value))).toMatchObject({
      kind: 'order',
      decisionId: decision().id,
      market: 'BTC/USDT',
    });
  });

  it('fail when the topic write fails, so no order is placed unrecorded', async () => {
    const producer: TopicProducer = {
      send: async () => {
        throw new Error('broker down');
      },
      flush: async () => {},
      close: async () => {},
    };
    await expect(createOrderRecorder({ producer }).record([record('attempt')])).rejects.toThrow(
      'broker down',
    );
  });

  it('rank final states above attempts whatever the clocks say', () => {
    expect(versionOf('filled', T0)).toBeGreaterThan(versionOf('attempt', T0 + 86_400_000));
    expect(versionOf('refused', T0)).toBeGreaterThan(versionOf('unknown', T0 + 1));
    expect(Number.isSafeInteger(versionOf('filled', Date.UTC(2100, 0, 1)))).toBe(true);
  });

  it('stay bounded in the memory recorder', async () => {
    const memory = createMemoryRecorder(2);
    await memory.record([record('attempt', 1), record('filled', 2), record('filled', 3)]);
    expect(memory.records.map((r) => r.recordedAt)).toEqual([2, 3]);
  });
});
