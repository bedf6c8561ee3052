/**
 * The ingest runner: subscribes to a source, writes what it emits to Kafka in order, and survives Kafka
 * being away. Items wait in a buffer bounded by `highWaterBytes`: above it the source's `demand` is
 * not ready (pull sources stop reading, the X stream pauses its socket), below half of it reading
 * resumes. A failed batch is retried with exponential back-off (logged once when Kafka goes away and
 * once when it comes back), so nothing accepted from a source is dropped while Kafka is down. A
 * checkpoint is written only after everything before it was acknowledged. On `signal` abort the
 * source is unsubscribed (stop reading), its `finalCheckpoint` (if any) queued behind what it emitted,
 * the buffer drained and the producer flushed; if Kafka stays
 * away longer than `shutdownDeadlineMs` the run fails saying how much was not written.
 */
import type { Logger } from 'pino';
import type { Subscription } from 'rxjs';
import { isRetriable, UnavailableError } from '../../lib/errors.js';
import type { OutgoingMessage, TopicProducer } from '../../sinks/kafka/producer.js';
import type { IngestSource } from '../sources/types.js';
import { IngestBuffer } from './ingest-buffer.js';
import { type IngestTopics, type Routed, routeItem } from './messages.js';

export interface IngestStats {
  readonly envelopes: number;
  readonly rejected: number;
  readonly checkpoints: number;
  readonly bytes: number;
}

export interface RunIngestOptions {
  readonly source: IngestSource;
  readonly producer: TopicProducer;
  readonly topics: IngestTopics;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly highWaterBytes?: number;
  readonly batchMessages?: number;
  /** Upper bound on a batch's (uncompressed) size, well under Kafka's 1 MB record-batch default once gzipped. */
  readonly batchBytes?: number;
  /** Batches sent before the oldest is acknowledged. */
  readonly maxInFlight?: number;
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  readonly shutdownDeadlineMs?: number;
}

/** Each rejection is logged with its line number or position, up to this many per run. */
const MAX_REJECTS_LOGGED = 100;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runIngest({
  source,
  producer,
  topics,
  logger,
  signal,
  now = Date.now,
  sleep = realSleep,
  highWaterBytes = 16 * 1024 * 1024,
  batchMessages = 2_000,
  batchBytes = 4 * 1024 * 1024,
  maxInFlight = 3,
  retryInitialMs = 500,
  retryMaxMs = 30_000,
  shutdownDeadlineMs = 30_000,
}: RunIngestOptions): Promise<IngestStats> {
  const log = logger.child({ module: 'ingest' });
  const buffer = new IngestBuffer(highWaterBytes);
  const isCheckpoint = (item: Routed): boolean => item.topic === topics.state;
  let sourceDone = false;
  let sourceError: unknown;
  let stopAt: number | null = null;
  const stats = { envelopes: 0, rejected: 0, checkpoints: 0, bytes: 0 };
  let rejectsLogged = 0;

  const stop = (): void => {
    if (stopAt !== null) return;
    stopAt = now();
    log.info({ buffered: buffer.waiting }, 'stopping: no more reading, flushing what is buffered');
    subscription?.unsubscribe();
    // Everything the source emitted is in the buffer: its position after that goes behind it.
    const last = source.finalCheckpoint?.();
    if (last !== undefined) buffer.push(routeItem(last, topics, now()));
    sourceDone = true;
    buffer.open();
    buffer.wake();
  };

  let subscription: Subscription | undefined;
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  subscription = source(buffer.demand).subscribe({
    next: (item) => {
      if (stopAt !== null) return; // a source that emits synchronously after the stop
      if (item.kind === 'reject' && rejectsLogged < MAX_REJECTS_LOGGED) {
        rejectsLogged += 1;
        log.warn({ reason: item.reason, detail: item.detail }, 'unusable input sent to the DLQ');
        if (rejectsLogged === MAX_REJECTS_LOGGED) {
          log.warn('more unusable input: counted, no longer logged one by one');
        }
      }
      buffer.push(routeItem(item, topics, now()));
    },
    error: (error: unknown) => {
      sourceError = error;
      sourceDone = true;
      buffer.wake();
    },
    complete: () => {
      sourceDone = true;
      buffer.wake();
    },
  });
  if (stopAt !== null) subscription.unsubscribe();

  const sendBatch = (batch: readonly Routed[]): Promise<unknown> => {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const r of batch) {
      const list = byTopic.get(r.topic) ?? [];
      list.push(r.message);
      byTopic.set(r.topic, list);
    }
    return Promise.all([...byTopic].map(([topic, messages]) => producer.send(topic, messages)));
  };

  let kafkaHealthy = true;
  const account = (batch: readonly Routed[]): void => {
    buffer.acknowledge(batch);
    for (const r of batch) {
      stats.bytes += r.bytes;
      if (r.topic === topics.raw) stats.envelopes += 1;
      else if (r.topic === topics.dlq) stats.rejected += 1;
      else stats.checkpoints += 1;
    }
    if (!kafkaHealthy) {
      kafkaHealthy = true;
      log.info({ buffered: buffer.waiting }, 'Kafka available again; writing the backlog');
    }
  };
  /** Retries a batch that failed with `firstError` until Kafka takes it (or the stop deadline passes). */
  const sendUntilDone = async (batch: readonly Routed[], firstError: unknown): Promise<void> => {
    let error = firstError;
    for (let failures = 1; ; failures++) {
      if (!isRetriable(error)) throw error;
      const pending = buffer.waiting + batch.length;
      if (stopAt !== null && now() - stopAt > shutdownDeadlineMs) {
        throw new UnavailableError(
          'kafka',
          `stopped with ${pending} item(s) not written: Kafka stayed unavailable for ${shutdownDeadlineMs} ms after the stop`,
          error,
        );
      }
      if (kafkaHealthy) {
        kafkaHealthy = false;
        log.warn(
          { err: (error as Error).message, buffered: pending },
          'Kafka unavailable; buffering and retrying',
        );
      }
      await sleep(Math.min(retryInitialMs * 2 ** Math.min(failures - 1, 20), retryMaxMs));
      try {
        await sendBatch(batch);
        return;
      } catch (next) {
        error = next;
      }
    }
  };

  // Up to `maxInFlight` batches travel at once (the producer keeps them in order on the wire); a
  // checkpoint is launched only when nothing is in flight, i.e. after everything before it was acked.
  interface Flight {
    readonly batch: readonly Routed[];
    readonly failure: Promise<{ error: unknown } | undefined>;
  }
  const inflight: Flight[] = [];
  const launch = (batch: readonly Routed[]): Flight => {
    const failure = sendBatch(batch).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    // Our batches are already whole: skip the producer's linger.
    producer.flush().catch(() => undefined);
    return { batch, failure };
  };
  try {
    for (;;) {
      for (
        let next = buffer.peek();
        next !== undefined && inflight.length < maxInFlight;
        next = buffer.peek()
      ) {
        if (isCheckpoint(next) && inflight.length > 0) break;
        inflight.push(launch(buffer.take(batchMessages, batchBytes, isCheckpoint)));
      }
      const oldest = inflight[0];
      if (oldest === undefined) {
        if (sourceDone) break;
        await buffer.whenItems();
        continue;
      }
      const outcome = await oldest.failure;
      if (outcome === undefined) {
        inflight.shift();
        account(oldest.batch);
        continue;
      }
      if (!isRetriable(outcome.error)) throw outcome.error;
      // Settle the whole window, then retry what failed, oldest first, until Kafka takes it.
      const window = inflight.splice(0, inflight.length);
      const outcomes = await Promise.all(window.map((f) => f.failure));
      for (const [i, flight] of window.entries()) {
        const failed = outcomes[i];
        if (failed !== undefined) await sendUntilDone(flight.batch, failed.error);
        account(flight.batch);
      }
    }
    await producer.flush();
  } finally {
    signal?.removeEventListener('abort', stop);
    subscription.unsubscribe();
    buffer.open();
  }
  if (sourceError !== undefined && stopAt === null) throw sourceError;
  return stats;
}
