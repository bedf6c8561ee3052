-- Which scorer produced a backtest's sentiment: lexicon, model or combined (SCORER_MODE), and the
-- learned model's version ('' for lexicon; docs/scorer.md). Runs recorded before this read as lexicon,
-- the only scorer there was. Runs on ClickHouse 18.16 and current ClickHouse.
ALTER TABLE backtest_runs ADD COLUMN scorer String DEFAULT 'lexicon' AFTER exchange;

ALTER TABLE backtest_runs ADD COLUMN scorer_model String DEFAULT '' AFTER scorer;
