// kafkajs is CommonJS: Node's ESM loader cannot see its named exports, so every runtime value we use
// comes through this module (types can still be imported from 'kafkajs' directly). Loading it also
// registers our gzip codec (gzip-codec.ts: kafkajs' bytes, inflated in fewer chunks) for every client,
// decodes fetched records without BigInt arithmetic (record-decoder.ts), and stops its idle
// request-queue timers (below).
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import { gzipCodec } from './gzip-codec.js';
import { installRecordDecoder } from './record-decoder.js';

export const { Kafka, KafkaJSError, CompressionTypes, Partitioners, logLevel } = kafkajs;

kafkajs.CompressionCodecs[CompressionTypes.GZIP] = () => gzipCodec;

export const RECORD_DECODER_INSTALLED = installRecordDecoder();

interface RequestQueueLike {
  readonly pending: readonly unknown[];
  scheduleCheckPendingRequests(): void;
}

/**
 * kafkajs 2.2.4 (its last release) arms a timer on a connection after every request to check for
 * requests waiting out a throttle. With nothing waiting and no throttle, the delay it computes,
 * `throttledUntil - Date.now()`, is negative: the timer fires after 1 ms, finds nothing, and arms
 * itself again, for as long as the connection lives (tulios/kafkajs#1704). Node 24 and later also print
 * a TimeoutNegativeWarning for it on every start (#1751), outside our structured logs. An idle consumer
 * set 1,650-1,670 timers a second and spent ~51 ms of CPU a second on Node 20 and 26; without them,
 * 27-30 ms on Node 20 and 14 ms on Node 26.
 *
 * With nothing pending there is nothing to check: a new request is sent at once, or push() queues it
 * and arms the check itself. So the check is armed only when something is pending. Returns whether
 * the queue was found (test/sinks/kafka/kafkajs.spec.ts fails when a kafkajs update moves it).
 */
function quietIdleRequestQueues(): boolean {
  let queue: { prototype?: Partial<RequestQueueLike> } | undefined;
  try {
    queue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js');
  } catch {
    return false;
  }
  const proto = queue?.prototype;
  const arm = proto?.scheduleCheckPendingRequests;
  if (proto === undefined || typeof arm !== 'function') return false;
  proto.scheduleCheckPendingRequests = function (this: RequestQueueLike) {
    if (this.pending.length > 0) arm.call(this);
  };
  return true;
}

export const IDLE_REQUEST_QUEUES_QUIET = quietIdleRequestQueues();
