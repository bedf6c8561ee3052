/**
 * The exchange port: what the trading sink needs from a venue, and nothing more. Two adapters
 * implement it: `paper` (deterministic simulation) and `ccxt` (a real exchange through ccxt).
 * Vendor types never cross this boundary.
 */
import type { SymbolCode } from '../../operators/types.js';

export const ORDER_SIDES = ['buy', 'sell'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

export const TRADING_MODES = ['paper', 'live'] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

/** Trading rules of one market, as the venue reports them (ccxt loadMarkets or paper config). */
export interface MarketRules {
  /** Unified symbol, e.g. 'BTC/USDT'. */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  /** Smallest order amount in base units, or null when the venue sets none. */
  readonly minAmount: number | null;
  readonly maxAmount: number | null;
  /** Smallest order notional (amount * price) in quote units, or null. */
  readonly minNotional: number | null;
}

export interface AssetBalance {
  readonly free: number;
  readonly used: number;
  readonly total: number;
}

export type Balances = Readonly<Record<string, AssetBalance>>;

export const ORDER_STATUSES = ['open', 'closed', 'canceled', 'expired', 'rejected'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** An order as the venue knows it (after placement or lookup). */
export interface ExchangeOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly status: OrderStatus;
  readonly amount: number;
  readonly filled: number;
  /** Average fill price, or null when nothing filled. */
  readonly average: number | null;
  /** Quote spent or received. */
  readonly cost: number;
  readonly fee: { readonly cost: number; readonly currency: string } | null;
  /** Venue timestamp, epoch ms, or null when it sent none. */
  readonly timestamp: number | null;
}

export interface MarketOrderRequest {
  readonly clientOrderId: string;
  readonly symbol: SymbolCode | string;
  readonly side: OrderSide;
  /** Base amount, already rounded with `roundAmount`. */
  readonly amount: number;
  /** Event time the order belongs to (paper prices fills at this time). */
  readonly at: number;
}

export const REJECT_REASONS = [
  'insufficient_balance',
  'below_min_amount',
  'below_min_notional',
  'above_max_amount',
  'unknown_symbol',
  'no_price',
  'duplicate_client_order_id',
  'invalid_order',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** The venue answered: either it took the order or it refused it for good. Unclear outcomes throw. */
export type PlaceResult =
  | { readonly kind: 'accepted'; readonly order: ExchangeOrder }
  | { readonly kind: 'rejected'; readonly reason: RejectReason; readonly message: string };

/**
 * The port. Reads may throw UnavailableError (retriable) or RejectedError. `placeMarketOrder`
 * throws UnavailableError when the outcome is unknown (timeout, 5xx, connection lost): the caller
 * must then look the order up by its client order id, never send it again blindly.
 */
export interface Exchange {
  /** Venue name for records: 'paper' or the ccxt exchange id. */
  readonly name: string;
  readonly mode: TradingMode;
  /** Rules for a symbol, or null when the venue does not list it. */
  market(symbol: string): Promise<MarketRules | null>;
  /** Reference price for sizing (last trade / candle close at `at`), or null when none is known. */
  price(symbol: string, at: number): Promise<number | null>;
  /** Amount rounded down to what the venue accepts (0 when below its precision). */
  roundAmount(symbol: string, amount: number): Promise<number>;
  balances(): Promise<Balances>;
  /** The order placed with this client order id, or null when the venue has none. */
  findOrder(symbol: string, clientOrderId: string): Promise<ExchangeOrder | null>;
  placeMarketOrder(request: MarketOrderRequest): Promise<PlaceResult>;
  close(): Promise<void>;
}

/** Where reference prices come from (candles in ClickHouse, a ticker, a fixed table in tests). */
export interface PriceSource {
  /** Price valid at `at` (epoch ms) with no look-ahead, or null when unknown. */
  priceAt(symbol: string, at: number): Promise<number | null>;
}
