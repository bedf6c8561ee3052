/** The topics sentiflow uses, derived from config: one list for `topics create`, doctor and tests. */
import type { TopicSpec } from '../sinks/kafka/topics.js';
import type { Config } from './config.js';

export function topicSpecs(topics: Config['topics']): TopicSpec[] {
  const common = {
    partitions: topics.partitions,
    replicationFactor: topics.replicationFactor,
    retentionHours: topics.retentionHours,
  };
  return [
    { name: topics.tweetsRaw, ...common },
    { name: topics.tweetsDlq, ...common },
    // Decisions and orders are keyed by symbol / order id and small; one partition keeps them ordered.
    { name: topics.signals, ...common, partitions: 1 },
    { name: topics.orders, ...common, partitions: 1 },
  ];
}
