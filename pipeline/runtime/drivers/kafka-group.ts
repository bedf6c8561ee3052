/**
 * The live driver: a Kafka consumer group over one topic (`process --stage all|score|window`). Offsets
 * are committed only by the runner's commit protocol (step 3); the group's committed offsets tell where
 * a partition's reading would start, but the runner seeks every partition it opens to its checkpoint.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { toKafkaError } from '../../../sinks/kafka/errors.js';
import { createBatchConsumer } from '../../sources/kafka-consumer.js';
import type { Driver } from './driver.js';

export interface KafkaGroupOptions {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly topic: string;
  /** How soon a dead member's partitions move (KAFKA_SESSION_TIMEOUT_MS). */
  readonly sessionTimeoutMs?: number;
  /** Compressed bytes one fetch may return, per partition and in all. */
  readonly fetchBytes: number;
  readonly logger: Logger;
}

/**
 * How long a fetch waits: the broker's hold on a fetch with nothing new, and kafkajs's sleep while
 * every partition is paused, which nothing cuts short when the runner resumes them. At kafkajs's 1 s
 * (our consumer's default) each pause for backpressure cost up to a second with no fetch while the
 * score threads ran dry: process.e2e paused 17 times per million inputs, the next batch came 0.8-1.0 s
 * after each resume. At 100 ms a caught-up member asks the broker ten times a second instead of once.
 */
export const GROUP_FETCH_WAIT_MS = 100;

export async function createKafkaGroupDriver(kafka: Kafka, options: KafkaGroupOptions): Promise<Driver> {
  const { topic, groupId, brokers } = options;
  const admin = kafka.admin();
  const starts = new Map<number, bigint>();
  try {
    await admin.connect();
    for (const p of await admin.fetchTopicOffsets(topic)) starts.set(p.partition, BigInt(p.low));
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw toKafkaError(error, `reading partitions of ${topic} (run: sentiflow topics create)`, brokers);
  }
  let onAssigned: (partitions: readonly number[]) => void = () => undefined;
  const consumer = await createBatchConsumer(kafka, {
    brokers,
    groupId,
    topics: [topic],
    logger: options.logger,
    commitMode: 'manual',
    maxBytesPerPartition: options.fetchBytes,
    maxBytes: options.fetchBytes,
    maxWaitMs: GROUP_FETCH_WAIT_MS,
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    onAssignment: (partitions) => onAssigned(partitions),
  }).catch(async (error: unknown) => {
    await admin.disconnect().catch(() => undefined);
    throw error;
  });
  return {
    starts,
    async run(handlers) {
      onAssigned = handlers.assigned;
      await consumer.run(async (batch) => {
        await handlers.batch(batch.partition, batch.messages);
      });
    },
    seek: (partition, offset) => consumer.seek({ topic, partition, offset: offset.toString() }),
    pause: (partitions) => consumer.pause(topic, partitions),
    resume: (partitions) => consumer.resume(topic, partitions),
    commit: (offsets) =>
      consumer.commit([...offsets].map(([partition, o]) => ({ topic, partition, offset: o.toString() }))),
    // Every partition read to its end: by this member (held) or, as committed, by the group.
    async drained(next) {
      try {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const at = new Map(
          (committed?.partitions ?? []).map((c) => [c.partition, BigInt(c.offset)] as const),
        );
        return ends.every((e) => {
          const position = next(e.partition) ?? at.get(e.partition) ?? -1n;
          return position >= BigInt(e.high) || BigInt(e.low) === BigInt(e.high);
        });
      } catch {
        return false; // an unreachable broker just means "not yet"
      }
    },
    done: consumer.done,
    async stop() {
      await consumer.stop().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  };
}
