/**
 * Fetch thread of a replay: fetches and decodes the Kafka ranges (replayTopic) and hands each
 * partition's messages, in packed frames, to the score thread that owns the partition, at most a few
 * frames ahead of each (back-pressure by acks).
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { SentiflowError } from '../../sinks/errors.js';
import { createKafka, type KafkaClientOptions } from '../../sinks/kafka/client.js';
import { type Frame, FrameWriter } from './replay-frames.js';
import type { FromFetch } from './replay-scorer.js';
import { type PartitionRange, replayTopic } from './replay-topic.js';

export interface ReplayWorkerData {
  readonly kafka: Omit<KafkaClientOptions, 'logger'>;
  readonly topic: string;
  readonly partitions: readonly number[];
  readonly ranges: readonly { partition: number; start: string; end: string }[];
  readonly maxBytesPerPartition?: number;
  /** Frames a score thread may have unacknowledged before the fetching waits for it. */
  readonly framesAhead: number;
  /** One port per score thread. */
  readonly scorers: readonly MessagePort[];
  /** Partition -> index into `scorers`. */
  readonly route: Readonly<Record<number, number>>;
}

const data = workerData as ReplayWorkerData;
const port = parentPort!;
const lanes = data.scorers.map((scorer) => ({ scorer, writer: new FrameWriter(), inFlight: 0 }));
let wake: (() => void) | null = null;
for (const lane of lanes) {
  lane.scorer.on('message', (message: 'ack') => {
    if (message !== 'ack') return;
    lane.inFlight--;
    wake?.();
    wake = null;
  });
}
const send = (lane: (typeof lanes)[number], frame: Frame | null): void => {
  if (frame === null) return;
  lane.inFlight++;
  lane.scorer.postMessage({ kind: 'frame', frame } satisfies FromFetch, [frame.buffer]);
};
const laneOf = (partition: number): (typeof lanes)[number] => {
  const lane = lanes[data.route[partition] ?? -1];
  if (lane === undefined) throw new RangeError(`no score thread for partition ${partition}`);
  return lane;
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
  onMessage: (m) => {
    const lane = laneOf(m.partition);
    send(lane, lane.writer.add(m));
  },
  onBatch: async () => {
    for (const lane of lanes) send(lane, lane.writer.take());
    while (lanes.some((lane) => lane.inFlight >= data.framesAhead)) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  },
}).then(
  (read) => {
    for (const lane of lanes) {
      send(lane, lane.writer.take());
      lane.scorer.postMessage({ kind: 'end' } satisfies FromFetch);
    }
    port.postMessage({ kind: 'done', read });
  },
  (error: unknown) =>
    port.postMessage({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
      retriable: error instanceof SentiflowError && error.retriable,
    }),
);
