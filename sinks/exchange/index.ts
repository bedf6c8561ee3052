/**
 * The trading side effects behind small ports. Live: `createCcxtExchange`; paper: `createPaperExchange`
 * with a PriceSource (candles: sinks/prices/candle-price-source.ts, or `createTickerPriceSource`).
 * `createExchangeSink` turns decisions into at most one order each; `createOrderRecorder` writes the
 * execution records to the orders topic and ClickHouse. Backtests: paper exchange on stored candles,
 * `createMemoryRecorder`, and `now` = the decision's time.
 */
export { createCcxtClient, rebaseUrls } from './ccxt-client.js';
export { createCcxtExchange } from './ccxt-exchange.js';
export { clientOrderIdFor } from './client-order-id.js';
export { createExchangeSink, type ExchangeSink, type OrderRecorder } from './exchange-sink.js';
export { createKillSwitch, type KillSwitch } from './kill-switch.js';
export { marketSymbolOf } from './market-symbol.js';
export { type OrderRecord, type OrderRow, toOrderRow } from './order-record.js';
export { createMemoryRecorder, createOrderRecorder } from './order-recorder.js';
export { createPaperExchange, DEFAULT_PAPER_MARKETS, type PaperMarket } from './paper-exchange.js';
export { checkRisk, DEFAULT_RISK_LIMITS, type RiskLimits } from './risk.js';
export { createTickerPriceSource } from './ticker-price-source.js';
export { LIVE_CONFIRMATION, resolveTradingMode } from './trading-mode.js';
export type * from './types.js';
