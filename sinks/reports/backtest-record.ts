/**
 * Records a backtest in ClickHouse: its settings, code version, scorer and summary in `backtest_runs`,
 * its fills in `backtest_trades` (migrations/0200_backtests.sql, 0201_backtest_scorer.sql). Idempotent by run id: both tables are
 * ReplacingMergeTree keyed by it, so recording the same run again replaces the rows.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { insertRows } from '../clickhouse/insert.js';
import type { BacktestResult } from './types.js';

export interface BacktestRunRow {
  readonly run_id: string;
  readonly strategy: string;
  readonly symbols: string;
  readonly period_from_ms: number;
  readonly period_to_ms: number;
  readonly params: string;
  readonly fee_bps: number;
  readonly slippage_bps: number;
  readonly capital: number;
  readonly code_version: string;
  readonly topic: string;
  readonly exchange: string;
  /** lexicon, model or combined. */
  readonly scorer: string;
  /** The learned model's version ('' for lexicon). */
  readonly scorer_model: string;
  readonly total_return: number;
  readonly buy_and_hold_return: number;
  readonly sharpe: number;
  readonly max_drawdown: number;
  readonly trades: number;
  readonly summary: string;
  readonly recorded_at_ms: number;
  readonly recorded_date: string;
}

export interface BacktestTradeRow {
  readonly run_id: string;
  readonly seq: number;
  readonly decision_id: string;
  readonly strategy: string;
  readonly symbol: string;
  readonly market: string;
  readonly side: string;
  readonly decided_at_ms: number;
  readonly amount: number;
  readonly price: number;
  readonly cost: number;
  readonly fee: number;
  readonly pnl: number;
  readonly reason: string;
  readonly recorded_at_ms: number;
}

export interface RunMeta {
  readonly codeVersion: string;
  readonly topic: string;
  readonly exchange: string;
  /** Which scorer produced the sentiment, and its model's version ('' for lexicon). */
  readonly scorer: string;
  readonly scorerModel: string;
  readonly recordedAt: number;
}

export function backtestRunRow(result: BacktestResult, meta: RunMeta): BacktestRunRow {
  const s = result.summary;
  return {
    run_id: result.runId,
    strategy: s.strategy,
    symbols: s.symbols.join(','),
    period_from_ms: Date.parse(s.from),
    period_to_ms: Date.parse(s.to),
    params: JSON.stringify(s.params),
    fee_bps: s.feeBps,
    slippage_bps: s.slippageBps,
    capital: s.capital,
    code_version: meta.codeVersion,
    topic: meta.topic,
    exchange: meta.exchange,
    scorer: meta.scorer,
    scorer_model: meta.scorerModel,
    total_return: s.totalReturn,
    buy_and_hold_return: s.buyAndHoldReturn,
    sharpe: s.sharpe ?? 0,
    max_drawdown: s.maxDrawdown,
    trades: s.trades,
    summary: JSON.stringify(s),
    recorded_at_ms: meta.recordedAt,
    recorded_date: new Date(meta.recordedAt).toISOString().slice(0, 10),
  };
}

export function backtestTradeRows(result: BacktestResult, recordedAt: number): BacktestTradeRow[] {
  return result.trades.map((t, seq) => ({
    run_id: result.runId,
    seq,
    decision_id: t.decisionId,
    strategy: t.strategy,
    symbol: t.symbol,
    market: t.market,
    side: t.side,
    decided_at_ms: t.decidedAt,
    amount: t.amount,
    price: t.price,
    cost: t.cost,
    fee: t.fee,
    pnl: t.pnl,
    reason: t.reason,
    recorded_at_ms: recordedAt,
  }));
}

export async function recordBacktest(
  client: ClickHouseClient,
  result: BacktestResult,
  meta: RunMeta & { readonly url: string; readonly logger?: Logger },
): Promise<void> {
  const options = { url: meta.url, ...(meta.logger ? { logger: meta.logger } : {}) };
  // Trades first: a run row only exists once its trades are stored.
  await insertRows(client, 'backtest_trades', backtestTradeRows(result, meta.recordedAt), options);
  await insertRows(client, 'backtest_runs', [backtestRunRow(result, meta)], options);
}
