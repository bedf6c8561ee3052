/**
 * The backtest's driver: reads tweets.raw between the offsets Kafka finds for two times, on every
 * partition, as fast as kafkajs fetches, in offset order per partition.
 *
 * It never touches the live consumer group: it joins a throw-away group (`sentiflow-backtest-<uuid>`,
 * the only way kafkajs reads with seeks) and never commits an offset, so that group holds no offsets
 * and the broker forgets it after offsets.retention. Offsets come from ListOffsets by timestamp: the
 * earliest offset whose timestamp is >= --from, up to (excluding) the earliest one >= --to, so the
 * replay is a contiguous slice of each partition, exactly what the live process read in that order.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { toKafkaError, withDeadline } from '../../../sinks/kafka/errors.js';
import type { InputMessage } from '../message.js';
import type { Driver } from './driver.js';

export interface PartitionRange {
  readonly partition: number;
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
}

export interface ReplayPlan {
  /** Every partition of the topic (the window waits for each). */
  readonly partitions: readonly number[];
  /** Partitions with something to read. */
  readonly ranges: readonly PartitionRange[];
  readonly total: number;
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

/** A replay's driver: reads every range of the plan, then ends. */
export interface ReplayDriverOptions {
  readonly topic: string;
  readonly brokers: readonly string[];
  readonly plan: ReplayPlan;
  readonly deadlineMs?: number;
  /** Fetch size per partition (bytes); small values force many batches (tests). */
  readonly maxBytesPerPartition?: number;
}

export function createKafkaReplayDriver(kafka: Kafka, options: ReplayDriverOptions): Driver {
  const { topic, brokers, plan, deadlineMs = 30_000 } = options;
  const ranges = new Map(plan.ranges.map((r) => [r.partition, r] as const));
  const remaining = new Set(ranges.keys());
  /** Next offset to hand over per partition (a batch fetched again after a seek is skipped up to it). */
  const next = new Map(plan.ranges.map((r) => [r.partition, r.start] as const));
  const consumer = kafka.consumer({
    groupId: `sentiflow-backtest-${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
    maxBytes: Math.max(16 * 1024 * 1024, options.maxBytesPerPartition ?? 0),
  });
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => undefined);
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => {
    resolveEnded = resolve;
  });
  if (remaining.size === 0) resolveEnded();
  const finished = (partition: number): void => {
    remaining.delete(partition);
    consumer.pause([{ topic, partitions: [partition] }]);
    if (remaining.size === 0) resolveEnded();
  };
  return {
    starts: new Map(plan.partitions.map((p) => [p, ranges.get(p)?.start ?? 0n] as const)),
    async run(handlers) {
      if (remaining.size === 0) return;
      try {
        await withDeadline(consumer.connect(), deadlineMs, 'connecting the Kafka consumer');
        await consumer.subscribe({ topic, fromBeginning: true });
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        throw toKafkaError(error, `replaying ${topic}`, brokers);
      }
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart)
          settle.reject(toKafkaError(event.payload.error, `replaying ${topic}`, brokers));
      });
      // Nothing is committed, so after a rebalance kafkajs would fetch from the beginning: seek back.
      let joins = 0;
      consumer.on(consumer.events.GROUP_JOIN, () => {
        if (joins++ === 0) {
          handlers.assigned(plan.partitions);
          return;
        }
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
          const messages = messagesInRange(
            batch.partition,
            batch.messages,
            next.get(batch.partition) ?? range.start,
            range.end,
          );
          const last = messages[messages.length - 1];
          if (last !== undefined) next.set(batch.partition, BigInt(last.offset) + 1n);
          try {
            if (messages.length > 0) await handlers.batch(batch.partition, messages);
          } catch (error) {
            // Not kafkajs' business (it would retry the batch): end the replay with the error.
            settle.reject(error);
            return;
          }
          await heartbeat();
          const reached = (next.get(batch.partition) ?? 0n) >= range.end;
          if (reached || BigInt(batch.lastOffset()) + 1n >= range.end) finished(batch.partition);
        },
      });
      for (const { partition, start } of plan.ranges) {
        consumer.seek({ topic, partition, offset: start.toString() });
      }
      const idle = plan.partitions.filter((p) => !ranges.has(p));
      if (idle.length > 0) consumer.pause([{ topic, partitions: idle }]);
    },
    seek(partition, offset) {
      // The runner seeks to where the plan starts: the plan's own seeks already put every range there.
      if (offset !== (ranges.get(partition)?.start ?? offset)) {
        throw new RangeError(`a replay reads its plan: partition ${partition} cannot move to ${offset}`);
      }
    },
    pause: (partitions) => {
      const mine = partitions.filter((p) => remaining.has(p));
      if (mine.length > 0) consumer.pause([{ topic, partitions: mine }]);
    },
    resume: (partitions) => {
      const mine = partitions.filter((p) => remaining.has(p));
      if (mine.length > 0) consumer.resume([{ topic, partitions: mine }]);
    },
    commit() {
      return Promise.reject(new RangeError('a replay never commits offsets'));
    },
    drained: () => Promise.resolve(remaining.size === 0),
    ended,
    done,
    async stop() {
      settle.resolve();
      await consumer.disconnect().catch(() => undefined);
    },
  };
}

/**
 * The messages of a fetched batch in [from, end), in order. Offsets grow within a batch, so when its first
 * and last are inside, every one is, and no offset in between is parsed (the usual case: the replay
 * reads each batch once, from its start).
 */
export function messagesInRange(
  partition: number,
  batch: readonly KafkaMessage[],
  from: bigint,
  end: bigint,
): InputMessage[] {
  const n = batch.length;
  if (n === 0) return [];
  const whole = BigInt(batch[0]!.offset) >= from && BigInt(batch[n - 1]!.offset) < end;
  const messages: InputMessage[] = [];
  for (const m of batch) {
    if (!whole) {
      const offset = BigInt(m.offset);
      // Before the range, or handed over already (a batch fetched again after a seek).
      if (offset < from) continue;
      if (offset >= end) break;
    }
    messages.push({ partition, offset: m.offset, value: m.value ?? null, timestamp: Number(m.timestamp) });
  }
  return messages;
}
