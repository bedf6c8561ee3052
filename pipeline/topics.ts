/** The topics sentiflow uses, derived from config: one list for `topics create`, doctor and tests. */
import type { TopicSpec } from '../sinks/kafka/topics.js';
import type { Config } from './config.js';
import { INGEST_STATE_TOPIC } from './ingest/messages.js';

export function topicSpecs(topics: Config['topics']): TopicSpec[] {
  const common = {
    partitions: topics.partitions,
    replicationFactor: topics.replicationFactor,
    retentionHours: topics.retentionHours,
  };
  return [
    { name: topics.tweetsRaw, ...common },
    { name: topics.tweetsDlq, ...common },
    // Keyed by symbol: `process --stage window` instances share the symbols by its partitions.
    { name: topics.tweetsScored, ...common },
    // Decisions and orders are keyed by symbol / order id and small; one partition keeps them ordered.
    { name: topics.signals, ...common, partitions: 1 },
    { name: topics.orders, ...common, partitions: 1 },
    // The search poller's position: one value per key, kept forever.
    {
      name: INGEST_STATE_TOPIC,
      partitions: 1,
      replicationFactor: topics.replicationFactor,
      retentionHours: -1,
      compacted: true,
    },
  ];
}
