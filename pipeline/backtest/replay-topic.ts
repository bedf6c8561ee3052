/**
 * Reads tweets.raw between the offsets Kafka finds for two times, on every partition, as fast as
 * kafkajs fetches: messages go to a synchronous handler (the engine), in offset order per partition.
 *
 * It never touches the live consumer group: it joins a throw-away group (`sentiflow-backtest-<uuid>`,
 * the only way kafkajs reads with seeks) and never commits an offset, so that group holds no offsets
 * and the broker forgets it after offsets.retention. Offsets come from ListOffsets by timestamp: the
 * earliest offset whose timestamp is >= --from, up to (excluding) the earliest one >= --to, so the
 * replay is a contiguous slice of each partition, exactly what the live process read in that order.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { toKafkaError, withDeadline } from '../../sinks/kafka/errors.js';

export interface PartitionRange {
  readonly partition: number;
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
}

export interface ReplayPlan {
  /** Every partition of the topic (the engine's window waits for each). */
  readonly partitions: readonly number[];
  /** Partitions with something to read. */
  readonly ranges: readonly PartitionRange[];
  readonly total: number;
}

export interface ReplayMessage {
  readonly partition: number;
  readonly offset: string;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

/** Offsets of [from, to) on every partition. `to` past the last message reads to the end. */
export async function planReplay(
  kafka: Kafka,
  {
    topic,
    brokers,
    from,
    to,
    deadlineMs = 30_000,
  }: {
    topic: string;
    brokers: readonly string[];
    from: number;
    to: number;
    deadlineMs?: number;
  },
): Promise<ReplayPlan> {
  const admin = kafka.admin();
  try {
    await withDeadline(admin.connect(), deadlineMs, 'connecting the Kafka admin client');
    const ends = await admin.fetchTopicOffsets(topic);
    const starts = await admin.fetchTopicOffsetsByTimestamp(topic, Math.trunc(from));
    const stops = await admin.fetchTopicOffsetsByTimestamp(topic, Math.trunc(to));
    const ranges: PartitionRange[] = [];
    for (const p of ends) {
      const high = BigInt(p.high);
      // -1 from the time lookup: no message at or after that time, i.e. the end of the partition.
      const at = (list: typeof starts): bigint => {
        const offset = list.find((s) => s.partition === p.partition)?.offset ?? '-1';
        return BigInt(offset) < 0n ? high : BigInt(offset);
      };
      const start = at(starts);
      const end = at(stops);
      if (start < end) ranges.push({ partition: p.partition, start, end });
    }
    return {
      partitions: ends.map((p) => p.partition).sort((a, b) => a - b),
      ranges,
      total: ranges.reduce((n, r) => n + Number(r.end - r.start), 0),
    };
  } catch (error) {
    throw toKafkaError(error, `finding the offsets of ${topic} for the backtest period`, brokers);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface ReplayOptions {
  readonly topic: string;
  readonly brokers: readonly string[];
  readonly plan: ReplayPlan;
  readonly onMessage: (message: ReplayMessage) => void;
  /** After each batch (progress, back-pressure: the next batch waits for a returned promise). */
  readonly onBatch?: (read: number) => void | Promise<void>;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  /** Fetch size per partition (bytes); small values force many batches (tests). */
  readonly maxBytesPerPartition?: number;
}

/** Reads every range of the plan; resolves with the number of messages handed over. */
export async function replayTopic(kafka: Kafka, options: ReplayOptions): Promise<number> {
  const { topic, brokers, plan, onMessage, onBatch, deadlineMs = 30_000 } = options;
  if (plan.ranges.length === 0) return 0;
  const ranges = new Map(plan.ranges.map((r) => [r.partition, r] as const));
  const remaining = new Set(ranges.keys());
  const next = new Map(plan.ranges.map((r) => [r.partition, r.start] as const));
  const consumer = kafka.consumer({
    groupId: `sentiflow-backtest-${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
    maxBytes: Math.max(16 * 1024 * 1024, options.maxBytesPerPartition ?? 0),
  });
  let read = 0;
  let finish!: (error?: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  const abort = (): void => finish(new Error('backtest aborted'));
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    await withDeadline(consumer.connect(), deadlineMs, 'connecting the Kafka consumer');
    await consumer.subscribe({ topic, fromBeginning: true });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) finish(event.payload.error);
    });
    // Nothing is committed, so after a rebalance kafkajs would fetch from the beginning: seek back.
    let joins = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (joins++ === 0) return;
      for (const partition of remaining) {
        consumer.seek({ topic, partition, offset: String(next.get(partition) ?? 0n) });
      }
    });
    await consumer.run({
      // Offsets resolve after each batch (the fetch position moves on) but are never committed.
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const range = ranges.get(batch.partition);
        if (range === undefined || !remaining.has(batch.partition)) return;
        let reachedEnd = false;
        try {
          for (const m of batch.messages) {
            const offset = BigInt(m.offset);
            // Before the range, or handed over already (a batch fetched again after a seek).
            if (offset < (next.get(batch.partition) ?? range.start)) continue;
            if (offset >= range.end) {
              reachedEnd = true;
              break;
            }
            onMessage({
              partition: batch.partition,
              offset: m.offset,
              value: m.value ?? null,
              timestamp: Number(m.timestamp),
            });
            read++;
            next.set(batch.partition, offset + 1n);
            if (offset + 1n >= range.end) {
              reachedEnd = true;
              break;
            }
          }
        } catch (error) {
          // Not kafkajs' business (it would retry the batch): end the replay with the error.
          finish(error);
          return;
        }
        await onBatch?.(read);
        await heartbeat();
        if (reachedEnd || BigInt(batch.lastOffset()) + 1n >= range.end) {
          remaining.delete(batch.partition);
          consumer.pause([{ topic, partitions: [batch.partition] }]);
          if (remaining.size === 0) finish();
        }
      },
    });
    for (const { partition, start } of plan.ranges) {
      consumer.seek({ topic, partition, offset: start.toString() });
    }
    const idle = plan.partitions.filter((p) => !ranges.has(p));
    if (idle.length > 0) consumer.pause([{ topic, partitions: idle }]);
    await finished;
    return read;
  } catch (error) {
    throw toKafkaError(error, `replaying ${topic}`, brokers);
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await consumer.disconnect().catch(() => undefined);
  }
}
