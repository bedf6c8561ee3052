/**
 * Worker thread of a replay: fetches and decodes the Kafka ranges (replayTopic) and hands the messages
 * to the engine's thread in packed frames, at most a few frames ahead (back-pressure by acks).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SentiflowError } from '../../sinks/errors.js';
import { createKafka, type KafkaClientOptions } from '../../sinks/kafka/client.js';
import { FrameWriter } from './replay-frames.js';
import { type PartitionRange, replayTopic } from './replay-topic.js';

export interface ReplayWorkerData {
  readonly kafka: Omit<KafkaClientOptions, 'logger'>;
  readonly topic: string;
  readonly partitions: readonly number[];
  readonly ranges: readonly { partition: number; start: string; end: string }[];
  readonly maxBytesPerPartition?: number;
  readonly framesAhead: number;
}

const data = workerData as ReplayWorkerData;
const port = parentPort!;
const writer = new FrameWriter();
let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', (message: 'ack') => {
  if (message !== 'ack') return;
  inFlight--;
  wake?.();
  wake = null;
});
const send = (frame: ReturnType<FrameWriter['take']>): void => {
  if (frame === null) return;
  inFlight++;
  port.postMessage({ kind: 'frame', frame }, [frame.buffer]);
};
const ranges: PartitionRange[] = data.ranges.map((r) => ({
  partition: r.partition,
  start: BigInt(r.start),
  end: BigInt(r.end),
}));

replayTopic(createKafka(data.kafka), {
  topic: data.topic,
  brokers: data.kafka.brokers,
  plan: { partitions: data.partitions, ranges, total: 0 },
  ...(data.maxBytesPerPartition ? { maxBytesPerPartition: data.maxBytesPerPartition } : {}),
  onMessage: (m) => send(writer.add(m)),
  onBatch: async () => {
    send(writer.take());
    while (inFlight >= data.framesAhead) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  },
}).then(
  (read) => {
    send(writer.take());
    port.postMessage({ kind: 'done', read });
  },
  (error: unknown) =>
    port.postMessage({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
      retriable: error instanceof SentiflowError && error.retriable,
    }),
);
