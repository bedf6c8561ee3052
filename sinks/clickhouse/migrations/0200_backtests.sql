-- Backtest runs and their fills (sentiflow backtest). One row per run id: the id is a hash of the
-- run's settings, so recording the same backtest again replaces its rows (ReplacingMergeTree on
-- recorded_at_ms). Parameters and the summary are JSON text so new metrics need no migration.
-- Runs on ClickHouse 18.16 and current ClickHouse. Row types: sinks/reports/backtest-record.ts.
CREATE TABLE IF NOT EXISTS backtest_runs (
  run_id String,
  strategy String,
  symbols String,
  period_from_ms UInt64,
  period_to_ms UInt64,
  params String,
  fee_bps Float64,
  slippage_bps Float64,
  capital Float64,
  code_version String,
  topic String,
  exchange String,
  total_return Float64,
  buy_and_hold_return Float64,
  sharpe Float64,
  max_drawdown Float64,
  trades UInt32,
  summary String,
  recorded_at_ms UInt64,
  recorded_date Date
) ENGINE = ReplacingMergeTree(recorded_at_ms)
PARTITION BY toYYYYMM(recorded_date)
ORDER BY run_id;

CREATE TABLE IF NOT EXISTS backtest_trades (
  run_id String,
  seq UInt32,
  decision_id String,
  strategy String,
  symbol String,
  market String,
  side String,
  decided_at_ms UInt64,
  amount Float64,
  price Float64,
  cost Float64,
  fee Float64,
  pnl Float64,
  reason String,
  recorded_at_ms UInt64
) ENGINE = ReplacingMergeTree(recorded_at_ms)
ORDER BY (run_id, seq);
