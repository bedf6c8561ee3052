-- Where each post came from: 'x', 'bluesky' or 'mastodon' (the Tweet's source, as normalize recognised its
-- payload). Rows written before this migration are X's, the only source there was. Intake rows carry it
-- too ('' for a rejection whose source could not be told, e.g. a payload that is no JSON), and
-- dlq_counts gains it as a grouping column. A plain String: ClickHouse 18.16 has no LowCardinality.
-- Runs on ClickHouse 18.16 and current ClickHouse.
ALTER TABLE tweets ADD COLUMN source String DEFAULT 'x' AFTER rule_tags;

ALTER TABLE intake ADD COLUMN source String DEFAULT 'x' AFTER reason;

DROP TABLE IF EXISTS dlq_counts;

CREATE VIEW IF NOT EXISTS dlq_counts AS
SELECT event_hour AS hour, source, outcome, stage, reason, count() AS messages
FROM intake FINAL
WHERE outcome != 'stored'
GROUP BY hour, source, outcome, stage, reason;
