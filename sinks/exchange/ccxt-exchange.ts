/**
 * The live adapter: the Exchange port over a ccxt client. Market orders carry our client order id;
 * lookups go by that id (Binance: GET /api/v3/order?origClientOrderId=...). Placement is sent once
 * per call and never retried here. Every ccxt error is mapped to lib/errors.ts.
 */
import type { Exchange as CcxtExchange, Fee, Market, Order } from 'ccxt';
import { DuplicateOrderId, OrderNotFound } from 'ccxt';
import { type CcxtClientOptions, createCcxtClient } from './ccxt-client.js';
import { mapCcxtError, rejectReasonOf, scrub } from './ccxt-errors.js';
import type {
  AssetBalance,
  Exchange,
  ExchangeOrder,
  MarketRules,
  OrderStatus,
  PlaceResult,
} from './types.js';
import { ORDER_STATUSES } from './types.js';

export interface CcxtExchangeOptions extends CcxtClientOptions {
  /** A prebuilt client (tests); otherwise one is built from the options. */
  readonly client?: CcxtExchange;
}

const BALANCE_META = new Set(['info', 'free', 'used', 'total', 'timestamp', 'datetime', 'debt']);

export function createCcxtExchange(options: CcxtExchangeOptions): Exchange {
  const client = options.client ?? createCcxtClient(options);
  const service = `exchange ${options.exchangeId}`;
  const secrets = [options.apiKey, options.secret];
  let markets: Promise<Record<string, Market>> | null = null;

  const call = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw mapCcxtError(error, service, action, secrets);
    }
  };
  const loadMarkets = (): Promise<Record<string, Market>> => {
    markets ??= call('loadMarkets', () => client.loadMarkets()).catch((error: unknown) => {
      markets = null;
      throw error;
    });
    return markets;
  };
  const marketOf = async (symbol: string): Promise<Market | null> => (await loadMarkets())[symbol] ?? null;

  return {
    name: options.exchangeId,
    mode: 'live',
    async market(symbol): Promise<MarketRules | null> {
      const market = await marketOf(symbol);
      if (!market || market.base === undefined || market.quote === undefined) return null;
      return {
        symbol,
        base: market.base,
        quote: market.quote,
        minAmount: market.limits?.amount?.min ?? null,
        maxAmount: market.limits?.amount?.max ?? null,
        minNotional: market.limits?.cost?.min ?? null,
      };
    },
    async price(symbol) {
      if (!(await marketOf(symbol))) return null;
      const ticker = await call('fetchTicker', () => client.fetchTicker(symbol));
      return ticker.last ?? ticker.close ?? null;
    },
    async roundAmount(symbol, amount) {
      await loadMarkets();
      try {
        return Number(client.amountToPrecision(symbol, amount));
      } catch {
        return 0; // below the venue's precision: ccxt throws instead of rounding to zero
      }
    },
    async balances() {
      const balance = await call('fetchBalance', () => client.fetchBalance());
      const out: Record<string, AssetBalance> = {};
      for (const [asset, entry] of Object.entries(balance)) {
        if (BALANCE_META.has(asset) || entry === null || typeof entry !== 'object') continue;
        const { free, used, total } = entry as { free?: number; used?: number; total?: number };
        out[asset] = { free: free ?? 0, used: used ?? 0, total: total ?? (free ?? 0) + (used ?? 0) };
      }
      return out;
    },
    async findOrder(symbol, clientOrderId) {
      await loadMarkets();
      try {
        const order = await client.fetchOrder('', symbol, { clientOrderId });
        return toExchangeOrder(order, clientOrderId, symbol);
      } catch (error) {
        if (error instanceof OrderNotFound) return null;
        throw mapCcxtError(error, service, 'fetchOrder', secrets);
      }
    },
    async placeMarketOrder(request): Promise<PlaceResult> {
      await loadMarkets();
      try {
        const order = await client.createOrder(
          request.symbol,
          'market',
          request.side,
          request.amount,
          undefined,
          {
            clientOrderId: request.clientOrderId,
          },
        );
        return { kind: 'accepted', order: toExchangeOrder(order, request.clientOrderId, request.symbol) };
      } catch (error) {
        if (
          error instanceof DuplicateOrderId ||
          (error instanceof Error && /duplicate order/i.test(error.message))
        ) {
          return {
            kind: 'rejected',
            reason: 'duplicate_client_order_id',
            message: scrub(error.message, secrets),
          };
        }
        const reason = rejectReasonOf(error);
        if (reason !== null && error instanceof Error) {
          return { kind: 'rejected', reason, message: scrub(error.message, secrets) };
        }
        throw mapCcxtError(error, service, 'createOrder', secrets);
      }
    },
    async close() {
      await client.close();
    },
  };
}

function toExchangeOrder(order: Order, clientOrderId: string, symbol: string): ExchangeOrder {
  const status = (ORDER_STATUSES as readonly string[]).includes(order.status ?? '')
    ? (order.status as OrderStatus)
    : 'open';
  const listed = (order as Order & { fees?: readonly Fee[] }).fees;
  const fees: readonly Fee[] = listed?.length ? listed : order.fee ? [order.fee] : [];
  const feeCost = fees.reduce((sum: number, fee) => sum + (fee?.cost ?? 0), 0);
  const filled = order.filled ?? 0;
  return {
    id: String(order.id),
    clientOrderId: order.clientOrderId ?? clientOrderId,
    symbol: order.symbol ?? symbol,
    side: order.side === 'sell' ? 'sell' : 'buy',
    status,
    amount: order.amount ?? filled,
    filled,
    average: order.average ?? (filled > 0 && order.cost ? order.cost / filled : null),
    cost: order.cost ?? 0,
    fee: fees.length ? { cost: feeCost, currency: fees[0]?.currency ?? '' } : null,
    timestamp: order.timestamp ?? null,
  };
}
