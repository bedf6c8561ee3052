/** Idempotent topic creation: creates what is missing, grows partition counts, leaves the rest alone. */
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { retryRetriable, toKafkaError, withDeadline } from './errors.js';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Retention in hours; -1 keeps messages forever. */
  readonly retentionHours: number;
  /** Log-compacted topics keep the latest value per key (state topics). */
  readonly compacted?: boolean;
}

export interface TopicOutcome {
  readonly name: string;
  readonly action: 'created' | 'exists' | 'partitions-increased';
  readonly partitions: number;
}

export interface EnsureTopicsOptions {
  readonly brokers: readonly string[];
  readonly deadlineMs?: number;
  readonly logger?: Logger;
}

export async function ensureTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  { brokers, deadlineMs = 30_000, logger }: EnsureTopicsOptions,
): Promise<TopicOutcome[]> {
  const admin = kafka.admin();
  const attempted = new Set<string>();
  const reconcile = async (): Promise<TopicOutcome[]> => {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    for (const s of missing) attempted.add(s.name);
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: [
            {
              name: 'retention.ms',
              value: s.retentionHours < 0 ? '-1' : String(s.retentionHours * 3_600_000),
            },
            { name: 'cleanup.policy', value: s.compacted ? 'compact' : 'delete' },
          ],
        })),
      });
    }
    const present = specs.filter((s) => existing.has(s.name));
    const metadata =
      present.length > 0
        ? await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) })
        : { topics: [] };
    const outcomes: TopicOutcome[] = missing.map((s) => ({
      name: s.name,
      action: 'created',
      partitions: s.partitions,
    }));
    for (const spec of present) {
      const current = metadata.topics.find((t) => t.name === spec.name)?.partitions.length ?? 0;
      if (current < spec.partitions) {
        await admin.createPartitions({ topicPartitions: [{ topic: spec.name, count: spec.partitions }] });
        outcomes.push({ name: spec.name, action: 'partitions-increased', partitions: spec.partitions });
      } else {
        const action = attempted.has(spec.name) ? 'created' : 'exists';
        outcomes.push({ name: spec.name, action, partitions: current });
      }
    }
    for (const o of outcomes) logger?.info({ topic: o.name, partitions: o.partitions }, `topic ${o.action}`);
    return outcomes;
  };
  try {
    await withDeadline(admin.connect(), deadlineMs, 'connecting the Kafka admin client');
    // Creating topics races with other clients and with leader election; reconciling is idempotent.
    return await retryRetriable(reconcile, { doing: 'creating topics', brokers, deadlineMs });
  } catch (error) {
    throw toKafkaError(error, 'creating topics', brokers);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
