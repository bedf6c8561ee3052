-- Execution records of the exchange sink: one row per client order id holding its latest state
-- (attempt < unknown < open < partially_filled < canceled < filled | rejected | refused, ranked in
-- `version`); the `orders` Kafka topic keeps every step. Join with signals on decision_id.
-- symbol is the decision's asset ('BTC', as in signals); market the venue pair traded ('BTC/USDT').
-- Runs on ClickHouse 18.16 and current ClickHouse. Row type: sinks/exchange/order-record.ts (OrderRow).
CREATE TABLE IF NOT EXISTS orders (
  client_order_id String,
  decision_id String,
  strategy String,
  symbol String,
  market String,
  side String,
  status String,
  reason String,
  detail String,
  venue String,
  mode String,
  exchange_order_id String,
  requested_amount Float64,
  filled_amount Float64,
  average_price Float64,
  reference_price Float64,
  cost Float64,
  fee_cost Float64,
  fee_currency String,
  decided_at_ms UInt64,
  recorded_at_ms UInt64,
  event_date Date,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(event_date)
ORDER BY (symbol, client_order_id);
