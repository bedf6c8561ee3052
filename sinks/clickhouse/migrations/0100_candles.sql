-- Price candles (OHLCV) per exchange, symbol and timeframe, from `sentiflow prices sync` (ccxt
-- fetchOHLCV) and `sentiflow prices import` (CSV). Runs on ClickHouse 18.16 and current ClickHouse.
-- Writing the same candle again replaces it (read with FINAL): sync and import are idempotent and
-- resumable. Row type: sinks/prices/candle.ts (CandleRow).
CREATE TABLE IF NOT EXISTS candles (
  exchange String,
  symbol String,
  timeframe String,
  open_time DateTime,
  open_time_ms UInt64,
  open Float64,
  high Float64,
  low Float64,
  close Float64,
  volume Float64,
  source String,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(open_time)
ORDER BY (exchange, symbol, timeframe, open_time);
