/**
 * Records execution records durably in both places before the sink goes on: the `orders` topic
 * (every step, key = client order id) and the ClickHouse `orders` table (latest state per client
 * order id). A failure of either rejects, so an order is never placed without its attempt on record.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { insertRows } from '../clickhouse/insert.js';
import type { TopicProducer } from '../kafka/producer.js';
import type { OrderRecorder } from './exchange-sink.js';
import { type OrderRecord, toOrderRow } from './order-record.js';

export interface OrderRecorderOptions {
  readonly producer?: TopicProducer | null;
  readonly topic?: string;
  readonly clickhouse?: { readonly client: ClickHouseClient; readonly url: string } | null;
  readonly logger?: Logger;
}

export function createOrderRecorder({
  producer = null,
  topic = 'orders',
  clickhouse = null,
  logger,
}: OrderRecorderOptions): OrderRecorder {
  const log = logger?.child({ module: 'orders' });
  return {
    async record(records: readonly OrderRecord[]) {
      if (records.length === 0) return;
      const writes: Promise<void>[] = [];
      if (producer) {
        writes.push(
          producer.send(
            topic,
            records.map((r) => ({
              key: r.clientOrderId,
              value: JSON.stringify(r),
              timestamp: r.recordedAt,
              headers: { status: r.status, symbol: r.symbol },
            })),
          ),
        );
      }
      if (clickhouse) {
        writes.push(
          insertRows(clickhouse.client, 'orders', records.map(toOrderRow), {
            url: clickhouse.url,
            ...(logger ? { logger } : {}),
          }),
        );
      }
      await Promise.all(writes);
      for (const r of records) {
        log?.info(
          {
            clientOrderId: r.clientOrderId,
            symbol: r.symbol,
            side: r.side,
            status: r.status,
            reason: r.reason || undefined,
            amount: r.filledAmount || r.requestedAmount,
            price: r.averagePrice ?? r.referencePrice,
            venue: r.venue,
          },
          `order ${r.status}`,
        );
      }
    },
  };
}

/** Keeps records in memory (backtests, tests); bounded by `max`, oldest dropped first. */
export function createMemoryRecorder(max = 1_000_000): OrderRecorder & { readonly records: OrderRecord[] } {
  const records: OrderRecord[] = [];
  return {
    records,
    async record(batch) {
      records.push(...batch);
      if (records.length > max) records.splice(0, records.length - max);
    },
  };
}
