/**
 * Reads a topic's messages once, from offsets found by time up to the end offsets at the start, without
 * committing anything for a consumer group (the group id is throw-away and offsets are never committed).
 * Serves `sentiflow export` and loading the ingest state. Kafka timestamps here are event times
 * (created_at), which need not grow with offsets: the start offset per partition is the first message
 * at or after `fromMs` (Kafka's time index guarantees none before it qualifies), and every message up to
 * the end offset is filtered by [fromMs, toMs).
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { retryRetriable, toKafkaError, withDeadline } from '../../sinks/kafka/errors.js';
import { headersToStrings } from '../sources/consumed-message.js';

export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ReadTopicOptions {
  readonly topic: string;
  readonly brokers: readonly string[];
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly deadlineMs?: number;
  /** Called in offset order per partition; awaited (back-pressure for the writer). 'stop' ends the read. */
  readonly onRecord: (record: TopicRecord) => Promise<undefined | 'stop'> | undefined | 'stop';
}

/** Start and end offsets per partition; partitions with nothing to read are left out. */
async function plan(
  kafka: Kafka,
  topic: string,
  fromMs: number | undefined,
  deadlineMs: number,
): Promise<Map<number, { start: bigint; end: bigint }>> {
  const admin = kafka.admin();
  await withDeadline(admin.connect(), deadlineMs, 'connecting the Kafka admin client');
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const starts =
      fromMs === undefined ? null : await admin.fetchTopicOffsetsByTimestamp(topic, Math.trunc(fromMs));
    const ranges = new Map<number, { start: bigint; end: bigint }>();
    for (const p of ends) {
      const end = BigInt(p.high);
      const byTime = starts?.find((s) => s.partition === p.partition)?.offset;
      // -1 from the time lookup means no message at or after fromMs.
      const start = byTime === undefined ? BigInt(p.low) : BigInt(byTime) < 0n ? end : BigInt(byTime);
      if (start < end) ranges.set(p.partition, { start, end });
    }
    return ranges;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Returns the number of records passed to `onRecord`. */
export async function readTopicRange(kafka: Kafka, options: ReadTopicOptions): Promise<number> {
  const { topic, brokers, fromMs, toMs, deadlineMs = 30_000, onRecord } = options;
  let ranges: Map<number, { start: bigint; end: bigint }>;
  try {
    // Offsets of a topic created a moment ago can answer "not the leader" until its leader is elected.
    ranges = await retryRetriable(() => plan(kafka, topic, fromMs, deadlineMs), {
      doing: `finding offsets of ${topic}`,
      brokers,
      deadlineMs,
    });
  } catch (error) {
    throw toKafkaError(error, `finding offsets of ${topic}`, brokers);
  }
  if (ranges.size === 0) return 0;

  const consumer = kafka.consumer({
    groupId: `sentiflow-read-${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 250,
  });
  let count = 0;
  const remaining = new Set(ranges.keys());
  let finish!: (error?: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  try {
    await withDeadline(consumer.connect(), deadlineMs, 'connecting the Kafka consumer');
    await consumer.subscribe({ topic, fromBeginning: true });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) finish(event.payload.error);
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, isRunning, isStale }) => {
        const range = ranges.get(batch.partition);
        if (range === undefined || !remaining.has(batch.partition)) return;
        for (const m of batch.messages) {
          if (!isRunning() || isStale()) return;
          const offset = BigInt(m.offset);
          if (offset < range.start) continue;
          if (offset >= range.end) break;
          const timestamp = Number(m.timestamp);
          const inWindow =
            (fromMs === undefined || timestamp >= fromMs) && (toMs === undefined || timestamp < toMs);
          if (inWindow) {
            let verdict: undefined | 'stop';
            try {
              verdict = await onRecord({
                partition: batch.partition,
                offset: m.offset,
                key: m.key === null || m.key === undefined ? null : m.key.toString(),
                value: m.value ?? null,
                timestamp,
                headers: headersToStrings(m.headers),
              });
            } catch (error) {
              // Not kafkajs' business: it would retry the batch. End the read with the error instead.
              finish(error);
              return;
            }
            count += 1;
            if (verdict === 'stop') {
              finish();
              return;
            }
          }
          resolveOffset(m.offset);
          if (offset + 1n >= range.end) break;
        }
        if (BigInt(batch.lastOffset()) + 1n >= range.end) {
          remaining.delete(batch.partition);
          if (remaining.size === 0) finish();
        }
      },
    });
    for (const [partition, { start }] of ranges) consumer.seek({ topic, partition, offset: String(start) });
    await finished;
    return count;
  } catch (error) {
    throw toKafkaError(error, `reading ${topic}`, brokers);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/** The latest value per key of a compacted state topic (missing topic = no state). */
export async function loadState(
  kafka: Kafka,
  { topic, brokers, deadlineMs }: { topic: string; brokers: readonly string[]; deadlineMs?: number },
): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  await readTopicRange(kafka, {
    topic,
    brokers,
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
    onRecord: (r) => {
      if (r.key === null) return undefined;
      if (r.value === null) state.delete(r.key);
      else state.set(r.key, r.value.toString('utf8'));
      return undefined;
    },
  });
  return state;
}
