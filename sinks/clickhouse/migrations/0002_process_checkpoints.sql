-- Checkpoints of the process stage: operator state and the offsets it corresponds to, written
-- before those offsets are committed to Kafka. A restart resumes from the newest one (seq wins).
CREATE TABLE IF NOT EXISTS process_checkpoints (
  group_id String,
  topic String,
  seq UInt64,
  saved_at DateTime,
  offsets String,
  state String
) ENGINE = ReplacingMergeTree(seq)
ORDER BY (group_id, topic);
