/** Reads filled orders of a venue back from the ClickHouse `orders` table (to restore the paper exchange after a restart). */
import type { ClickHouseClient } from '@clickhouse/client';
import { toClickHouseError } from '../clickhouse/client.js';
import { quoteString } from '../clickhouse/sql.js';
import type { ExchangeOrder } from './types.js';

interface FilledRow {
  client_order_id: string;
  exchange_order_id: string;
  symbol: string;
  market: string;
  side: string;
  requested_amount: number;
  filled_amount: number;
  average_price: number;
  cost: number;
  fee_cost: number;
  fee_currency: string;
  recorded_at_ms: string | number;
}

/** Latest state of each filled order of a venue, oldest first (tested on 18.16 and on current ClickHouse). */
export function filledOrdersQuery(venue: string): string {
  if (!/^[a-z0-9_]{1,40}$/.test(venue)) throw new RangeError(`bad venue ${venue}`);
  return (
    'SELECT client_order_id, exchange_order_id, symbol, market, side, requested_amount, filled_amount, average_price, cost, ' +
    `fee_cost, fee_currency, recorded_at_ms FROM orders FINAL WHERE venue = ${quoteString(venue)} AND filled_amount > 0 ` +
    'ORDER BY recorded_at_ms, client_order_id'
  );
}

export async function readFilledOrders(
  client: ClickHouseClient,
  url: string,
  venue: string,
): Promise<ExchangeOrder[]> {
  try {
    const result = await client.query({
      query: filledOrdersQuery(venue),
      format: 'JSONEachRow',
    });
    const rows = await result.json<FilledRow>();
    return rows.map((r) => ({
      id: r.exchange_order_id,
      clientOrderId: r.client_order_id,
      symbol: r.market || r.symbol,
      side: r.side === 'sell' ? 'sell' : 'buy',
      status: 'closed',
      amount: r.requested_amount || r.filled_amount,
      filled: r.filled_amount,
      average: r.average_price || null,
      cost: r.cost,
      fee: r.fee_currency ? { cost: r.fee_cost, currency: r.fee_currency } : null,
      timestamp: Number(r.recorded_at_ms),
    }));
  } catch (error) {
    throw toClickHouseError(error, 'reading earlier paper fills', url);
  }
}
