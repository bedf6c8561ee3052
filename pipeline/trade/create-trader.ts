/**
 * Builds the exchange sink from config: paper (default) or live through ccxt (only with --live and
 * SENTIFLOW_LIVE=I_UNDERSTAND), risk limits, kill switch and the order recorder (orders topic +
 * ClickHouse). `sentiflow trade` uses it, and so can `sentiflow process`: call `createTrader(...)`
 * once and pass each Decision to `trader.sink.execute(decision)` (or `write(batch)`).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { ConfigError } from '../../lib/errors.js';
import { createExchangeSink, type ExchangeSink } from '../../sinks/exchange/exchange-sink.js';
import { createKillSwitch } from '../../sinks/exchange/kill-switch.js';
import { loadCcxtAdapters } from '../../sinks/exchange/load-ccxt.js';
import { readFilledOrders } from '../../sinks/exchange/order-history.js';
import { createOrderRecorder } from '../../sinks/exchange/order-recorder.js';
import { createPaperExchange } from '../../sinks/exchange/paper-exchange.js';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../sinks/exchange/risk.js';
import { resolveTradingMode } from '../../sinks/exchange/trading-mode.js';
import type { Exchange, PriceSource, TradingMode } from '../../sinks/exchange/types.js';
import type { TopicProducer } from '../../sinks/kafka/producer.js';
import { createCandlePriceSource } from '../../sinks/prices/candle-price-source.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export const PAPER_PRICE_SOURCES = ['candles', 'ticker'] as const;
export type PaperPriceSource = (typeof PAPER_PRICE_SOURCES)[number];

export interface TradingOptions {
  readonly live: boolean;
  /** Quote currency decisions on assets trade against ('BTC' -> 'BTC/USDT'); limits are in it. */
  readonly quote: string;
  readonly sandbox: boolean;
  readonly limits: RiskLimits;
  readonly killSwitch: boolean;
  readonly killSwitchFile: string | null;
  readonly exchangeTimeoutMs: number;
  readonly paper: {
    readonly startingQuote: number;
    readonly feeBps: number;
    readonly slippageBps: number;
    readonly prices: PaperPriceSource;
    readonly timeframe: string;
  };
}

export const DEFAULT_TRADING_OPTIONS: TradingOptions = {
  live: false,
  quote: 'USDT',
  sandbox: false,
  limits: DEFAULT_RISK_LIMITS,
  killSwitch: false,
  killSwitchFile: null,
  exchangeTimeoutMs: 10_000,
  paper: {
    startingQuote: 10_000,
    feeBps: 10,
    slippageBps: 5,
    prices: 'candles',
    timeframe: '1h',
  },
};

export interface TraderDeps {
  readonly exchange: Config['exchange'];
  readonly logger: Logger;
  readonly producer?: TopicProducer | null;
  readonly ordersTopic?: string;
  readonly clickhouse?: { readonly client: ClickHouseClient; readonly url: string } | null;
  readonly now?: () => number;
}

export interface Trader {
  readonly mode: TradingMode;
  readonly exchange: Exchange;
  readonly sink: ExchangeSink;
  close(): Promise<void>;
}

export async function createTrader(
  deps: TraderDeps,
  options: TradingOptions = DEFAULT_TRADING_OPTIONS,
): Promise<Trader> {
  const log = deps.logger.child({ module: 'trader' });
  const { mode, warning } = resolveTradingMode(options.live, deps.exchange.liveConfirmation);
  if (warning) log.warn(warning);
  const exchange = mode === 'live' ? await liveExchange(deps, options) : await paperExchange(deps, options);
  const sink = createExchangeSink({
    exchange,
    recorder: createOrderRecorder({
      producer: deps.producer ?? null,
      topic: deps.ordersTopic ?? 'orders',
      clickhouse: deps.clickhouse ?? null,
      logger: deps.logger,
    }),
    limits: options.limits,
    quote: options.quote,
    killSwitch: createKillSwitch({ engaged: options.killSwitch, file: options.killSwitchFile }),
    ...(deps.now ? { now: deps.now } : {}),
  });
  log.info(
    { mode, venue: exchange.name, limits: options.limits, killSwitchFile: options.killSwitchFile },
    'trader ready',
  );
  return { mode, exchange, sink, close: () => sink.close() };
}

async function liveExchange(deps: TraderDeps, options: TradingOptions): Promise<Exchange> {
  const { id, apiKey, secret, apiUrl } = deps.exchange;
  if (!apiKey || !secret) throw new ConfigError('live trading needs EXCHANGE_API_KEY and EXCHANGE_SECRET');
  const { createCcxtExchange } = await loadCcxtAdapters();
  return createCcxtExchange({
    exchangeId: id,
    apiKey,
    secret,
    apiUrl: apiUrl ?? null,
    sandbox: options.sandbox,
    timeoutMs: options.exchangeTimeoutMs,
  });
}

async function paperExchange(deps: TraderDeps, options: TradingOptions): Promise<Exchange> {
  const { paper } = options;
  let priceSource: PriceSource;
  if (paper.prices === 'ticker') {
    const { createCcxtClient, createTickerPriceSource } = await loadCcxtAdapters();
    const client = createCcxtClient({
      exchangeId: deps.exchange.id,
      apiUrl: deps.exchange.apiUrl ?? null,
      timeoutMs: options.exchangeTimeoutMs,
    });
    priceSource = createTickerPriceSource(client);
  } else {
    if (!deps.clickhouse)
      throw new ConfigError('paper trading on candles needs ClickHouse (or use --paper-prices ticker)');
    const store = createClickHouseCandleStore(deps.clickhouse.client, { url: deps.clickhouse.url });
    priceSource = createCandlePriceSource({ store, exchange: deps.exchange.id, timeframe: paper.timeframe });
  }
  const history = deps.clickhouse
    ? await readFilledOrders(deps.clickhouse.client, deps.clickhouse.url, 'paper')
    : [];
  return createPaperExchange({
    priceSource,
    balances: { [options.quote]: paper.startingQuote },
    feeBps: paper.feeBps,
    slippage: { fixedBps: paper.slippageBps, impactBpsPer10k: 0 },
    history,
  });
}
