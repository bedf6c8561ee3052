/**
 * Wrappers that observe the ports a command already uses, so runners need no metrics code:
 * ClickHouse inserts and pings (latency, errors, readiness), Kafka sends (messages produced per
 * topic, readiness) and exchange executions (orders by status). Each returns an object with the same
 * interface; everything not wrapped is passed through unchanged.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { describeError } from '../../lib/errors.js';
import { isTransientClickHouseError } from '../../sinks/clickhouse/client.js';
import type { ExchangeSink } from '../../sinks/exchange/exchange-sink.js';
import type { TopicProducer } from '../../sinks/kafka/producer.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface Observed {
  readonly metrics: Metrics;
  readonly readiness: Readiness;
}

export function instrumentClickHouse(
  client: ClickHouseClient,
  { metrics, readiness }: Observed,
): ClickHouseClient {
  const insert: ClickHouseClient['insert'] = async (params) => {
    const stop = metrics.clickhouseInsertSeconds.startTimer();
    try {
      const result = await client.insert(params);
      stop();
      readiness.ok('clickhouse');
      return result;
    } catch (error) {
      metrics.clickhouseErrors.inc({ kind: isTransientClickHouseError(error) ? 'transient' : 'rejected' });
      readiness.failed('clickhouse', describeError(error));
      throw error;
    }
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'insert') return insert;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function instrumentProducer(producer: TopicProducer, { metrics, readiness }: Observed): TopicProducer {
  return {
    async send(topic, messages) {
      try {
        await producer.send(topic, messages);
      } catch (error) {
        readiness.failed('kafka', describeError(error));
        throw error;
      }
      if (messages.length > 0) {
        metrics.produced.inc({ topic }, messages.length);
        readiness.ok('kafka');
      }
    },
    flush: () => producer.flush(),
    close: () => producer.close(),
  };
}

export function instrumentExchangeSink(
  sink: ExchangeSink,
  { metrics }: Pick<Observed, 'metrics'>,
): ExchangeSink {
  const execute: ExchangeSink['execute'] = async (decision) => {
    const records = await sink.execute(decision);
    for (const r of records) metrics.orders.inc({ status: r.status });
    return records;
  };
  return {
    execute,
    async write(batch) {
      for (const decision of batch) await execute(decision);
    },
    close: () => sink.close(),
  };
}
