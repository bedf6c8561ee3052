/**
 * A consumer-group wrapper that hands whole batches to a handler and commits a batch's offsets only
 * after the handler resolved (that is: after everything the batch produced is durable). A handler
 * that throws stops the consumer without committing; `done` rejects with the error.
 */
import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { UnavailableError } from '../../lib/errors.js';
import { toKafkaError, withDeadline } from '../../sinks/kafka/errors.js';
import { Consumed, type ConsumedMessage } from './consumed-message.js';

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
  /** The partition's high watermark when the batch was fetched: offset of the next message to be written. */
  readonly highWatermark: string;
}

export interface BatchContext {
  /** Call during long handlers so the group does not evict this member. */
  heartbeat(): Promise<void>;
  isRunning(): boolean;
}

export type BatchHandler = (batch: ConsumedBatch, context: BatchContext) => Promise<void>;

export interface BatchConsumerOptions {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group without committed offsets starts. */
  readonly fromBeginning?: boolean;
  readonly logger?: Logger;
  readonly sessionTimeoutMs?: number;
  /** Bytes (compressed) one fetch may return for one partition (default DEFAULT_FETCH_BYTES). */
  readonly maxBytesPerPartition?: number;
  /** Bytes (compressed) one fetch may return over all partitions (default DEFAULT_FETCH_BYTES). */
  readonly maxBytes?: number;
  /**
   * Longest the broker holds a fetch while there is nothing new (kafkajs waits 5 s). Stopping waits
   * for the fetch in flight, so this bounds how long a drained consumer takes to stop.
   */
  readonly maxWaitMs?: number;
  readonly deadlineMs?: number;
  /**
   * 'after-batch' commits each batch once its handler resolved. 'manual' only advances the fetch
   * position; the caller commits with `commit()` once everything up to there is durable (checkpoints).
   */
  readonly commitMode?: 'after-batch' | 'manual';
  /** Called with this member's partitions whenever the group (re)assigns them. */
  readonly onAssignment?: (partitions: readonly number[]) => void;
}

export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read (last processed + 1). */
  readonly offset: string;
}

export interface BatchConsumer {
  /** Starts consuming; resolves once running. */
  run(handler: BatchHandler): Promise<void>;
  /** Commits offsets explicitly (commitMode 'manual'). */
  commit(offsets: readonly PartitionOffset[]): Promise<void>;
  /** Moves a partition's fetch position (e.g. to a checkpoint) before or while running. */
  seek(position: PartitionOffset): void;
  /** Stops fetching these partitions (batches already fetched are not handed out) until resumed. */
  pause(topic: string, partitions: readonly number[]): void;
  resume(topic: string, partitions: readonly number[]): void;
  /** Lets the current batch finish and commit, then leaves the group. */
  stop(): Promise<void>;
  /** Settles when the consumer stopped: resolves after stop(), rejects when the handler or the client failed. */
  readonly done: Promise<void>;
}

/**
 * Fetch size, compressed, per partition and over all of them (kafkajs's defaults: 1 MiB and 10 MiB).
 * kafkajs decompresses a whole fetch before handing out any of it, and gzip'd payloads can expand a
 * hundred times and more, so this is what bounds the memory a fetch takes, whatever the number of
 * partitions. The broker still returns a record batch bigger than this when its partition comes
 * first in a fetch, and kafkajs shuffles the partitions of every fetch, so a partition of big batches
 * is read too, in fewer fetches. Against 1 MiB per partition and no total, for `process`: the fuzzed
 * tweets.raw of the reliability suite (30,000 payloads, 5% of them 100-400 KB of one letter) peaked at
 * 600-626 MB RSS instead of 931 (one fetch had decompressed to 130 MB per partition), and process.e2e
 * ran no slower (28.4k and 28.7k tweets/s against 23.3k, same machine and hour).
 */
export const DEFAULT_FETCH_BYTES = 256 * 1024;

/** The kafkajs consumer settings for these options (group timing, fetch sizes, retries). */
export function consumerConfig(options: BatchConsumerOptions): ConsumerConfig {
  const {
    sessionTimeoutMs = 30_000,
    maxBytesPerPartition = DEFAULT_FETCH_BYTES,
    maxBytes = DEFAULT_FETCH_BYTES,
    maxWaitMs = 1_000,
  } = options;
  return {
    groupId: options.groupId,
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeoutMs / 3)),
    maxBytesPerPartition,
    maxBytes,
    maxWaitTimeInMs: maxWaitMs,
    allowAutoTopicCreation: false,
    // Rides out a broker restart (minutes), then gives up with a clear error.
    retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 30_000 },
  };
}

export async function createBatchConsumer(
  kafka: Kafka,
  options: BatchConsumerOptions,
): Promise<BatchConsumer> {
  const {
    brokers,
    groupId,
    topics,
    fromBeginning = true,
    logger,
    deadlineMs = 60_000,
    commitMode = 'after-batch',
    onAssignment,
  } = options;
  const log = logger?.child({ module: 'kafka-consumer', groupId });
  const consumer: Consumer = kafka.consumer(consumerConfig(options));
  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  let stopping = false;
  let finished = false;
  const finish = (error?: unknown): void => {
    if (finished) return;
    finished = true;
    if (error === undefined) settle.resolve();
    else settle.reject(error);
  };

  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assignment = event.payload.memberAssignment;
    const partitions = topics.flatMap((t) => assignment[t] ?? []);
    log?.info({ partitions }, 'joined the consumer group');
    onAssignment?.(partitions);
  });

  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart } = event.payload;
    if (stopping) {
      // A crash while we disconnect (the broker closed the connection) must not bring the consumer
      // back: kafkajs schedules its restart right after this event; stop() clears that timer.
      setImmediate(() => void consumer.stop().catch(() => undefined));
      return;
    }
    if (restart) {
      log?.warn({ err: error.message }, 'consumer crashed on a retriable error; kafkajs restarts it');
      return;
    }
    finish(toKafkaError(error, `consuming ${topics.join(',')}`, brokers));
  });

  try {
    await withDeadline(consumer.connect(), deadlineMs, 'connecting the Kafka consumer');
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw toKafkaError(error, `subscribing to ${topics.join(',')}`, brokers);
  }

  const stop = async (): Promise<void> => {
    if (stopping) return done;
    stopping = true;
    await consumer
      .disconnect()
      .catch((error: unknown) => log?.warn({ err: String(error) }, 'disconnect failed'));
    finish();
    return done;
  };

  return {
    done,
    stop,
    async commit(offsets) {
      if (offsets.length === 0) return;
      try {
        await consumer.commitOffsets(offsets.map((o) => ({ ...o })));
      } catch (error) {
        // While kafkajs restarts a consumer that crashed on a retriable error (a broker restart), it
        // has no group and says so with a non-retriable error; the restart is under way, so retry.
        if (error instanceof Error && /consumer group was not initialized/i.test(error.message)) {
          throw new UnavailableError(
            'kafka',
            `committing offsets: the consumer is rejoining its group (${error.message})`,
            error,
          );
        }
        throw toKafkaError(error, 'committing offsets', brokers);
      }
    },
    seek(position) {
      consumer.seek({ ...position });
    },
    pause(topic, partitions) {
      if (partitions.length > 0) consumer.pause([{ topic, partitions: [...partitions] }]);
    },
    resume(topic, partitions) {
      if (partitions.length > 0) consumer.resume([{ topic, partitions: [...partitions] }]);
    },
    async run(handler) {
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async (payload: EachBatchPayload) => {
          const { batch, heartbeat, isRunning, isStale } = payload;
          if (batch.messages.length === 0 || stopping || isStale()) return;
          const messages: ConsumedMessage[] = batch.messages.map(
            (m) => new Consumed(batch.topic, batch.partition, m),
          );
          try {
            await handler(
              {
                topic: batch.topic,
                partition: batch.partition,
                messages,
                highWatermark: batch.highWatermark,
              },
              { heartbeat, isRunning: () => isRunning() && !stopping },
            );
          } catch (error) {
            log?.error(
              { err: error instanceof Error ? error.message : String(error) },
              'batch handler failed',
            );
            finish(error);
            void consumer.disconnect().catch(() => undefined);
            return;
          }
          const last = batch.messages[batch.messages.length - 1]!;
          payload.resolveOffset(last.offset);
          if (commitMode === 'after-batch') {
            const next = (BigInt(last.offset) + 1n).toString();
            await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          }
          await heartbeat();
        },
      });
    },
  };
}
