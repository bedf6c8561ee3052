/**
 * Reads what research analyses: the social metrics per (symbol, hour) from `sentiment_hourly` (the SQL
 * of `query metrics`, so dominance is every symbol's share) and the hourly candles of each symbol's
 * market from the candle store, with the margins the analysis needs around the period.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { ConfigError } from '../../lib/errors.js';
import { marketSymbolOf } from '../../sinks/exchange/market-symbol.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import type { ResearchSettings } from '../../sinks/reports/research-types.js';
import { metricsSql } from '../query/analytics-sql.js';
import { METRICS } from '../query/queries.js';
import { coerceRows, type SelectRows } from '../query/result.js';
import { marginsOf, type SymbolInput } from './analyze.js';
import { HOUR_MS, type MetricRow } from './hourly-frame.js';

export interface ResearchLoadOptions {
  readonly url: string;
  readonly exchange: string;
  readonly quote: string;
  /** Symbols to analyse; empty: every symbol with tweets in the period and candles. */
  readonly symbols: readonly string[];
  readonly knownSymbols: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly settings: ResearchSettings;
}

export interface LoadedResearch {
  readonly inputs: SymbolInput[];
  /** Symbols left out, and why (no tweets, no candles), for the user. */
  readonly skipped: string[];
}

export async function loadResearchInput(
  client: ClickHouseClient,
  select: SelectRows,
  options: ResearchLoadOptions,
): Promise<LoadedResearch> {
  const { before, after } = marginsOf(options.settings);
  const fromMs = Math.floor(options.fromMs / HOUR_MS) * HOUR_MS - before * HOUR_MS;
  const toMs = Math.ceil(options.toMs / HOUR_MS) * HOUR_MS;
  // Every (symbol, hour) of the period fits, for up to 50 symbols (a config may map more than the
  // known ones); one more row means the read was cut.
  const limit = ((toMs - fromMs) / HOUR_MS) * Math.max(50, options.knownSymbols.length) + 1;
  const raw = coerceRows(
    await select(metricsSql({ fromMs, toMs, symbols: options.symbols, limit })),
    METRICS,
  );
  if (raw.length >= limit)
    throw new ConfigError(`research: more than ${limit - 1} metric rows; narrow the period`);
  const rows: MetricRow[] = raw.map((r) => ({
    symbol: String(r.symbol),
    hour: Number(r.hour) * 1000,
    volume: Number(r.tweets),
    authors: Number(r.authors),
    positive: Number(r.positive),
    negative: Number(r.negative),
    weightedMean: Number(r.weighted_mean),
    dominance: Number(r.dominance),
  }));
  const withTweets = new Set(rows.filter((r) => r.hour >= options.fromMs).map((r) => r.symbol));
  const wanted = options.symbols.length > 0 ? options.symbols : [...withTweets].sort();
  const store = createClickHouseCandleStore(client, { url: options.url });
  const inputs: SymbolInput[] = [];
  const skipped: string[] = [];
  for (const symbol of wanted) {
    const market = marketSymbolOf(symbol, options.quote);
    const candles = await store.between(
      { exchange: options.exchange, symbol: market, timeframe: '1h' },
      fromMs,
      toMs + after * HOUR_MS,
    );
    const hint = `load them with: sentiflow prices import <file.csv> --exchange ${options.exchange} --symbol ${market}`;
    if (candles.length === 0 && options.symbols.length > 0) {
      throw new ConfigError(`research: no ${market} candles of ${options.exchange} in the period; ${hint}`);
    }
    if (candles.length === 0) {
      skipped.push(`${symbol}: no ${market} candles of ${options.exchange} in the period (${hint})`);
      continue;
    }
    if (!withTweets.has(symbol)) skipped.push(`${symbol}: no tweets in the period (every hour is excluded)`);
    inputs.push({ symbol, market, rows: rows.filter((r) => r.symbol === symbol), candles });
  }
  return { inputs, skipped };
}
