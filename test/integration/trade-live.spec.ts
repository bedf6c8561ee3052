/**
 * The live path as `sentiflow trade --live` builds it (createTrader), pointed at the fake Binance via
 * EXCHANGE_API_URL, recording to real Kafka and ClickHouse. Checks the live gate and that the API key
 * and secret reach no log line, error, order row or orders-topic message.
 */
import { Writable } from 'node:stream';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../../lib/errors.js';
import { createLogger } from '../../pipeline/logger.js';
import { createBatchConsumer } from '../../pipeline/sources/kafka-consumer.js';
import {
  createTrader,
  DEFAULT_TRADING_OPTIONS,
  type TradingOptions,
} from '../../pipeline/trade/create-trader.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { createProducer, type TopicProducer } from '../../sinks/kafka/producer.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import { decision } from '../fixtures/exchange/decisions.js';
import { type FakeExchange, startFakeExchange } from '../support/fake-exchange.js';
import { kafkaBrokers, uniqueName } from '../support/servers.js';
import { testDatabase } from '../support/test-database.js';

const db = testDatabase('it_live');
const { client, url } = db;
const brokers = kafkaBrokers();
const run = uniqueName('live');
const ordersTopic = `orders.${run}`;
const API_KEY = 'LiveKey-7f3a9c2e4b1d8a6f';
const SECRET = 'LiveSecret-0c9e8d7f6a5b4c3d2e1f';

const options: TradingOptions = {
  ...DEFAULT_TRADING_OPTIONS,
  live: true,
  exchangeTimeoutMs: 500,
  limits: { maxOrderNotional: 1_000, maxPositionNotional: 1_000, maxDailyLoss: 500, maxDecisionAgeMs: null },
};

let fake: FakeExchange;
let kafka: Kafka;
let producer: TopicProducer;
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

beforeAll(async () => {
  await db.migrate();
  kafka = createKafka({ brokers });
  await ensureTopics(
    kafka,
    [{ name: ordersTopic, partitions: 1, replicationFactor: 1, retentionHours: -1 }],
    { brokers },
  );
  producer = await createProducer(kafka, { brokers });
  fake = await startFakeExchange({
    apiKey: API_KEY,
    secret: SECRET,
    balances: { USDT: 600 },
    prices: { BTCUSDT: 20_000 },
  });
});

afterAll(async () => {
  await producer?.close();
  await fake?.close();
  await db.drop();
});

const exchangeConfig = (liveConfirmation: string | undefined) => ({
  id: 'binance',
  apiKey: API_KEY,
  secret: SECRET,
  apiUrl: fake.url,
  liveConfirmation,
});

async function topicText(count: number): Promise<string> {
  const consumer = await createBatchConsumer(kafka, {
    brokers,
    groupId: `live-reader-${run}`,
    topics: [ordersTopic],
    fromBeginning: true,
  });
  const values: string[] = [];
  await consumer.run(async (batch) => {
    for (const m of batch.messages) values.push(String(m.value));
  });
  const deadline = Date.now() + 30_000;
  while (values.length < count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  await consumer.stop();
  expect(values.length).toBeGreaterThanOrEqual(count);
  return values.join('\n');
}

describe('live trading through ccxt (fake Binance)', () => {
  it('stays on paper when --live lacks SENTIFLOW_LIVE=I_UNDERSTAND', async () => {
    const trader = await createTrader(
      { exchange: exchangeConfig('yes'), logger, clickhouse: { client, url } },
      options,
    );
    expect(trader.mode).toBe('paper');
    expect(trader.exchange.name).toBe('paper');
    expect(logged).toContain('--live ignored');
    await trader.close();
  });

  it('trades live, survives a lost response and a rejection, and leaks no key anywhere', async () => {
    const trader = await createTrader(
      {
        exchange: exchangeConfig('I_UNDERSTAND'),
        logger,
        producer,
        ordersTopic,
        clickhouse: { client, url },
      },
      options,
    );
    expect(trader.mode).toBe('live');
    fake.fail('POST /api/v3/order', { kind: 'accept-then-hang' });
    const first = await trader.sink.execute(decision({ id: 'sf-live-1', size: 0.5 }));
    expect(first.map((r) => r.status)).toEqual(['attempt', 'filled']);
    const second = await trader.sink.execute(
      decision({ id: 'sf-live-2', size: 0.5, bucketStart: Date.UTC(2024, 0, 1, 12) }),
    );
    expect(second.map((r) => `${r.status}:${r.reason}`)).toEqual([
      'attempt:',
      'rejected:insufficient_balance',
    ]);
    expect(fake.orders).toHaveLength(1);
    fake.fail('GET /api/v3/order', { kind: 'status', status: 503 }, 10);
    const error = await trader.sink
      .execute(decision({ id: 'sf-live-3', bucketStart: Date.UTC(2024, 0, 2) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retriable: true });
    logger.error({ err: error }, describeError(error));
    await trader.close();

    const rows = JSON.stringify(
      await (await client.query({ query: 'SELECT * FROM orders', format: 'JSONEachRow' })).json(),
    );
    expect(rows).toContain('sf-live-1');
    const topic = await topicText(4);
    for (const secret of [API_KEY, SECRET]) {
      expect(logged).not.toContain(secret);
      expect(rows).not.toContain(secret);
      expect(topic).not.toContain(secret);
      expect(describeError(error)).not.toContain(secret);
    }
    expect(logged).toContain('order filled');
  });
});
