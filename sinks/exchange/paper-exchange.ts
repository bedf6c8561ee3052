/**
 * The paper exchange: fills market orders at a reference price from a PriceSource, with a fee and
 * a slippage model, and rejects what a real spot venue would. Deterministic: the same orders on the
 * same prices give the same fills, balances and order ids. State lives in the instance (in memory).
 */
import {
  amountRejection,
  feeFor,
  fillPrice,
  floorToStep,
  NO_SLIPPAGE,
  type SlippageModel,
} from './paper-fill.js';
import { DEFAULT_PAPER_MARKETS, type PaperMarket } from './paper-markets.js';
import type {
  AssetBalance,
  Balances,
  Exchange,
  ExchangeOrder,
  MarketOrderRequest,
  PlaceResult,
  PriceSource,
} from './types.js';

export { DEFAULT_PAPER_MARKETS, type PaperMarket };

export interface PaperExchangeOptions {
  readonly priceSource: PriceSource;
  readonly markets?: readonly PaperMarket[];
  /** Starting free balances per asset. */
  readonly balances?: Readonly<Record<string, number>>;
  /** Fee per fill in basis points of the notional, charged in the quote asset. */
  readonly feeBps?: number;
  readonly slippage?: SlippageModel;
  /** Bound on remembered orders (oldest forgotten first). */
  readonly maxOrders?: number;
  /** Fills from an earlier run (e.g. read back from the orders table), replayed onto the balances. */
  readonly history?: readonly ExchangeOrder[];
}

export function createPaperExchange({
  priceSource,
  markets = DEFAULT_PAPER_MARKETS,
  balances = { USDT: 10_000 },
  feeBps = 10,
  slippage = NO_SLIPPAGE,
  maxOrders = 100_000,
  history = [],
}: PaperExchangeOptions): Exchange {
  const bySymbol = new Map(markets.map((m) => [m.symbol, m]));
  const free = new Map<string, number>(Object.entries(balances));
  const orders = new Map<string, ExchangeOrder>();
  let sequence = 0;

  const freeOf = (asset: string): number => free.get(asset) ?? 0;
  const remember = (order: ExchangeOrder): void => {
    orders.set(order.clientOrderId, order);
    if (orders.size > maxOrders) {
      const oldest = orders.keys().next().value;
      if (oldest !== undefined) orders.delete(oldest);
    }
  };
  const applyFill = (market: PaperMarket, order: ExchangeOrder): void => {
    const fee = order.fee?.cost ?? 0;
    const sign = order.side === 'buy' ? 1 : -1;
    free.set(market.base, freeOf(market.base) + sign * order.filled);
    free.set(market.quote, freeOf(market.quote) - sign * order.cost - fee);
  };
  for (const order of history) {
    const market = bySymbol.get(order.symbol);
    if (!market || orders.has(order.clientOrderId)) continue;
    applyFill(market, order);
    remember(order);
    sequence += 1;
  }
  const reject = (
    reason: Extract<PlaceResult, { kind: 'rejected' }>['reason'],
    message: string,
  ): PlaceResult => ({
    kind: 'rejected',
    reason,
    message,
  });

  return {
    name: 'paper',
    mode: 'paper',
    async market(symbol) {
      return bySymbol.get(symbol) ?? null;
    },
    async price(symbol, at) {
      return bySymbol.has(symbol) ? priceSource.priceAt(symbol, at) : null;
    },
    async roundAmount(symbol, amount) {
      const market = bySymbol.get(symbol);
      return market ? floorToStep(amount, market.amountStep) : 0;
    },
    async balances() {
      const out: Record<string, AssetBalance> = {};
      for (const [asset, amount] of free) out[asset] = { free: amount, used: 0, total: amount };
      return out satisfies Balances;
    },
    async findOrder(_symbol, clientOrderId) {
      return orders.get(clientOrderId) ?? null;
    },
    async placeMarketOrder(request: MarketOrderRequest): Promise<PlaceResult> {
      const market = bySymbol.get(request.symbol);
      if (!market) return reject('unknown_symbol', `unknown symbol ${request.symbol}`);
      if (orders.has(request.clientOrderId)) {
        return reject('duplicate_client_order_id', `duplicate client order id ${request.clientOrderId}`);
      }
      const badAmount = amountRejection(market, request.amount);
      if (badAmount) return reject(badAmount.reason, badAmount.message);
      const reference = await priceSource.priceAt(request.symbol, request.at);
      if (reference === null || !(reference > 0)) return reject('no_price', `no price for ${request.symbol}`);
      const price = fillPrice(request.side, reference, request.amount * reference, slippage);
      const notional = request.amount * price;
      if (market.minNotional !== null && notional < market.minNotional) {
        return reject(
          'below_min_notional',
          `notional ${notional.toFixed(2)} below minimum ${market.minNotional}`,
        );
      }
      const fee = feeFor(notional, feeBps);
      if (request.side === 'buy' && notional + fee > freeOf(market.quote)) {
        return reject('insufficient_balance', `needs ${(notional + fee).toFixed(2)} ${market.quote}`);
      }
      if (request.side === 'sell' && request.amount > freeOf(market.base) + 1e-12) {
        return reject('insufficient_balance', `needs ${request.amount} ${market.base}`);
      }
      sequence += 1;
      const order: ExchangeOrder = {
        id: `paper-${sequence}`,
        clientOrderId: request.clientOrderId,
        symbol: request.symbol,
        side: request.side,
        status: 'closed',
        amount: request.amount,
        filled: request.amount,
        average: price,
        cost: notional,
        fee: { cost: fee, currency: market.quote },
        timestamp: request.at,
      };
      applyFill(market, order);
      remember(order);
      return { kind: 'accepted', order };
    },
    async close() {},
  };
}
