/**
 * A replay on two threads: a worker fetches and decodes Kafka (replay-worker.ts) while this thread
 * runs the engine, so the two costs overlap on two cores instead of adding up. Messages arrive in
 * each partition's offset order, exactly as replayTopic would hand them over here.
 */
import { RejectedError, UnavailableError } from '../../sinks/errors.js';
import type { KafkaClientOptions } from '../../sinks/kafka/client.js';
import { type Frame, readFrame } from './replay-frames.js';
import type { ReplayMessage, ReplayPlan } from './replay-topic.js';
import type { ReplayWorkerData } from './replay-worker.js';
import { startWorker } from './ts-worker.js';

export interface ThreadedReplayOptions {
  readonly kafka: Omit<KafkaClientOptions, 'logger'>;
  readonly topic: string;
  readonly plan: ReplayPlan;
  readonly onMessage: (message: ReplayMessage) => void;
  readonly onBatch?: (read: number) => void;
  readonly maxBytesPerPartition?: number;
  readonly signal?: AbortSignal;
  /** Frames (about 1 MiB each) the worker may run ahead of the engine. */
  readonly framesAhead?: number;
}

type FromWorker =
  | { kind: 'frame'; frame: Frame }
  | { kind: 'done'; read: number }
  | { kind: 'error'; message: string; retriable: boolean };

export function replayTopicInWorker(options: ThreadedReplayOptions): Promise<number> {
  const { plan } = options;
  if (plan.ranges.length === 0) return Promise.resolve(0);
  const data: ReplayWorkerData = {
    kafka: options.kafka,
    topic: options.topic,
    partitions: plan.partitions,
    ranges: plan.ranges.map((r) => ({ partition: r.partition, start: String(r.start), end: String(r.end) })),
    framesAhead: options.framesAhead ?? 8,
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
  };
  const worker = startWorker('replay-worker', { workerData: data });
  let read = 0;
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, value = 0): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      void worker.terminate();
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const abort = (): void => settle(new Error('backtest aborted'));
    options.signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (message: FromWorker) => {
      if (settled) return;
      if (message.kind === 'frame') {
        try {
          readFrame(message.frame, (partition, offset, value, timestamp) =>
            options.onMessage({ partition, offset, value, timestamp }),
          );
        } catch (error) {
          settle(error);
          return;
        }
        read += message.frame.count;
        worker.postMessage('ack');
        options.onBatch?.(read);
      } else if (message.kind === 'done') {
        settle(undefined, read);
      } else {
        settle(
          message.retriable
            ? new UnavailableError('kafka', message.message)
            : new RejectedError('kafka', message.message),
        );
      }
    });
    worker.once('error', (error) => settle(error));
    worker.once('exit', (code) => settle(new Error(`replay worker exited with code ${code} before the end`)));
  });
}
