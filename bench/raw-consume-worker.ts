/**
 * process.e2e's baseline (a) in a worker thread: kafkajs consuming a topic to its `count`th message,
 * doing nothing, with the fetch size the process uses; posts 'done'. A thread of its own, so its garbage
 * collections do not walk the bench's heap (the filled topic and (b)'s rows), as the process under
 * test, in a process of its own, does not either.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_FETCH_BYTES } from '../pipeline/sources/kafka-consumer.js';
import { createKafka } from '../sinks/kafka/client.js';

export interface RawConsumeData {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  readonly count: number;
}

const { brokers, topic, groupId, count } = workerData as RawConsumeData;
const kafka = createKafka({ brokers: [...brokers] });
const raw = kafka.consumer({
  groupId,
  maxBytesPerPartition: DEFAULT_FETCH_BYTES,
  maxBytes: DEFAULT_FETCH_BYTES,
});
await raw.connect();
await raw.subscribe({ topic, fromBeginning: true });
let consumed = 0;
await new Promise<void>((resolve) => {
  void raw.run({
    eachBatch: async ({ batch }) => {
      consumed += batch.messages.length;
      if (consumed >= count) resolve();
    },
  });
});
await raw.disconnect();
parentPort?.postMessage('done');
