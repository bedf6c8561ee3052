/**
 * `sentiflow trade` end to end on real Kafka and ClickHouse: decisions on the signals topic become
 * paper orders priced from stored candles; execution records land in the orders topic and the
 * ClickHouse `orders` table (one row per client order id, joinable with signals); a duplicate
 * decision and a restart place no second order.
 */
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../operators/types.js';
import { createLogger } from '../../pipeline/logger.js';
import { createBatchConsumer } from '../../pipeline/sources/kafka-consumer.js';
import {
  createTrader,
  DEFAULT_TRADING_OPTIONS,
  type TradingOptions,
} from '../../pipeline/trade/create-trader.js';
import { runTrade } from '../../pipeline/trade/run-trade.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { createProducer, type TopicProducer } from '../../sinks/kafka/producer.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import { decision, T0 } from '../fixtures/exchange/decisions.js';
import { kafkaBrokers, uniqueName } from '../support/servers.js';
import { testDatabase } from '../support/test-database.js';

const db = testDatabase('it_trade');
const { client, url } = db;
const brokers = kafkaBrokers();
const run = uniqueName('trade');
const signalsTopic = `signals.${run}`;
const ordersTopic = `orders.${run}`;
const logger = createLogger({ level: 'silent', pretty: false });
const HOUR = 3_600_000;

const options: TradingOptions = {
  ...DEFAULT_TRADING_OPTIONS,
  limits: { maxOrderNotional: 1_000, maxPositionNotional: 1_000, maxDailyLoss: 500, maxDecisionAgeMs: null },
  paper: { ...DEFAULT_TRADING_OPTIONS.paper, startingQuote: 5_000, feeBps: 10, slippageBps: 0 },
};
const exchangeConfig = { id: 'binance' } as const;

const buy = decision({ id: 'sf-it-buy', bucketStart: T0 - HOUR, action: 'BUY', size: 0.5 });
const sell = decision({ id: 'sf-it-sell', bucketStart: T0, decidedAt: T0 + HOUR, action: 'SELL', size: 1 });
const hold = decision({
  id: 'sf-it-hold',
  bucketStart: T0 + HOUR,
  decidedAt: T0 + 2 * HOUR,
  action: 'HOLD',
  size: 0,
});
const messages = [buy, buy, 'not json', sell, hold];

let kafka: Kafka;
let producer: TopicProducer;

beforeAll(async () => {
  await db.migrate();
  kafka = createKafka({ brokers });
  const spec = { partitions: 1, replicationFactor: 1, retentionHours: -1 };
  await ensureTopics(
    kafka,
    [
      { name: signalsTopic, ...spec },
      { name: ordersTopic, ...spec },
    ],
    { brokers },
  );
  producer = await createProducer(kafka, { brokers });
  const store = createClickHouseCandleStore(client, { url });
  const candles = [-2, -1, 0, 1].map((h) => ({
    openTime: T0 + h * HOUR,
    open: 20_000,
    high: 20_100,
    low: 19_900,
    close: 20_000 + h * 100,
    volume: 1,
  }));
  await store.write({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, candles, 'test');
  await producer.send(
    signalsTopic,
    messages.map((m) => ({
      key: typeof m === 'string' ? null : m.symbol,
      value: typeof m === 'string' ? m : JSON.stringify(m),
    })),
  );
});

afterAll(async () => {
  await producer?.close();
  await db.drop();
});

async function rows<T>(query: string): Promise<T[]> {
  return (await client.query({ query, format: 'JSONEachRow' })).json<T>();
}

async function pollUntil(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function tradeOnce(groupId: string) {
  const trader = await createTrader(
    { exchange: exchangeConfig, logger, producer, ordersTopic, clickhouse: { client, url } },
    options,
  );
  const executed: Decision[] = [];
  const runner = await runTrade({
    kafka,
    brokers,
    topic: signalsTopic,
    sink: trader.sink,
    logger,
    groupId,
    fromBeginning: true,
    onExecuted: (d) => executed.push(d),
  });
  await pollUntil(
    () => executed.length === 4 && runner.stats.badMessages === 1,
    'four decisions and one bad message',
  );
  await runner.stop();
  const balances = await trader.exchange.balances();
  await trader.close();
  return { stats: runner.stats, balances };
}

async function orderStates() {
  return rows<{
    client_order_id: string;
    status: string;
    exchange_order_id: string;
    filled_amount: number;
    decision_id: string;
  }>(
    'SELECT client_order_id, status, exchange_order_id, filled_amount, decision_id FROM orders FINAL ORDER BY client_order_id',
  );
}

async function readOrdersTopic(count: number): Promise<{ status: string; clientOrderId: string }[]> {
  const consumer = await createBatchConsumer(kafka, {
    brokers,
    groupId: `orders-reader-${run}-${count}`,
    topics: [ordersTopic],
    fromBeginning: true,
  });
  const seen: { status: string; clientOrderId: string }[] = [];
  await consumer.run(async (batch) => {
    for (const m of batch.messages) seen.push(JSON.parse(String(m.value)));
  });
  await pollUntil(() => seen.length >= count, `${count} order records`);
  await consumer.stop();
  return seen;
}

describe('trade: signals topic -> paper exchange -> orders topic and table', () => {
  let firstBalances: Awaited<ReturnType<typeof tradeOnce>>['balances'];

  it('executes each decision once, skips the bad message and records every step', async () => {
    const first = await tradeOnce(`trade-${run}-a`);
    firstBalances = first.balances;
    expect(first.stats).toMatchObject({ decisions: 4, badMessages: 1, orders: { attempt: 2, filled: 2 } });
    const states = await orderStates();
    expect(states.map((s) => [s.client_order_id, s.status])).toEqual([
      ['sf-it-buy', 'filled'],
      ['sf-it-sell', 'filled'],
    ]);
    // 500 USDT at the close of the candle before T0 (19,900), floored to the 0.00001 lot step.
    expect(states[0]?.filled_amount).toBe(0.02512);
    expect(first.balances.BTC?.total).toBeCloseTo(0, 10);
    const topic = await readOrdersTopic(4);
    expect(topic.map((r) => `${r.clientOrderId}:${r.status}`)).toEqual([
      'sf-it-buy:attempt',
      'sf-it-buy:filled',
      'sf-it-sell:attempt',
      'sf-it-sell:filled',
    ]);
  });

  it('joins with signals on decision_id', async () => {
    const signal = (d: Decision) => ({
      decision_id: d.id,
      strategy: d.strategy,
      symbol: d.symbol,
      bucket_start: d.bucketStart / 1000,
      decided_at: d.decidedAt / 1000,
      action: d.action,
      size: d.size,
      reason: d.reason,
      inputs_json: JSON.stringify(d.inputs),
    });
    await insertRows(client, 'signals', [buy, sell, hold].map(signal), { url });
    const joined = await rows<{ decision_id: string; action: string; status: string }>(
      'SELECT decision_id, action, status FROM signals FINAL ANY LEFT JOIN (SELECT decision_id, status FROM orders FINAL) USING decision_id ORDER BY decision_id',
    );
    expect(joined.map((j) => [j.decision_id, j.action, j.status])).toEqual([
      ['sf-it-buy', 'BUY', 'filled'],
      ['sf-it-hold', 'HOLD', ''],
      ['sf-it-sell', 'SELL', 'filled'],
    ]);
  });

  it('after a restart replays the topic without placing a second order', async () => {
    const before = await orderStates();
    const second = await tradeOnce(`trade-${run}-b`);
    expect(second.stats.orders).toEqual({ filled: 2 });
    const after = await orderStates();
    expect(after.map((s) => [s.client_order_id, s.exchange_order_id])).toEqual(
      before.map((s) => [s.client_order_id, s.exchange_order_id]),
    );
    expect(second.balances).toEqual(firstBalances);
  });
});
