/**
 * An idempotent, acks=all producer that batches concurrent `send` calls into one request per linger
 * period (kafkajs has no linger of its own). `send` resolves only once the broker acknowledged the
 * messages, so callers can commit upstream offsets after it; `close` flushes what is queued.
 */
import type { IHeaders, Kafka, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { UnavailableError } from '../../lib/errors.js';
import { toKafkaError, withDeadline } from './errors.js';
import { CompressionTypes } from './kafkajs.js';

export interface OutgoingMessage {
  readonly key: string | null;
  readonly value: string | Buffer | null;
  /** Kafka message timestamp, epoch ms (event time for tweets). */
  readonly timestamp?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Explicit partition; by default the key decides. */
  readonly partition?: number;
}

export interface TopicProducer {
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  /** Sends whatever is queued now and waits for it. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface ProducerOptions {
  readonly brokers: readonly string[];
  readonly logger?: Logger;
  /** How long a send waits for company before the batch goes out. */
  readonly lingerMs?: number;
  /** A batch goes out at once when it holds this many messages. */
  readonly maxBatchMessages?: number;
  readonly compression?: 'gzip' | 'none';
  /** A batch not acknowledged within this time fails with UnavailableError. */
  readonly deadlineMs?: number;
  readonly transactionalId?: string;
}

interface Pending {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** As kafkajs takes it: timestamp as a string, headers as given. */
export function toKafkaMessage(m: OutgoingMessage): Message {
  const message: Message = { key: m.key, value: m.value };
  if (m.timestamp !== undefined) message.timestamp = String(Math.trunc(m.timestamp));
  // kafkajs only reads the headers: no copy.
  if (m.headers !== undefined) message.headers = m.headers as IHeaders;
  if (m.partition !== undefined) message.partition = m.partition;
  return message;
}

export async function createProducer(
  kafka: Kafka,
  {
    brokers,
    logger,
    lingerMs = 5,
    maxBatchMessages = 5_000,
    compression = 'gzip',
    deadlineMs = 60_000,
  }: ProducerOptions,
): Promise<TopicProducer> {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  try {
    await withDeadline(producer.connect(), deadlineMs, 'connecting the Kafka producer');
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw toKafkaError(error, 'connecting the producer', brokers);
  }
  const log = logger?.child({ module: 'kafka-producer' });
  let queue: Pending[] = [];
  let queued = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let closed = false;
  let healthy = true;

  const drain = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return inFlight;
    const batch = queue;
    queue = [];
    queued = 0;
    inFlight = inFlight.then(() => sendBatch(batch));
    return inFlight;
  };

  const sendBatch = async (batch: Pending[]): Promise<void> => {
    const byTopic = new Map<string, Message[]>();
    for (const p of batch) {
      const list = byTopic.get(p.topic) ?? [];
      for (const m of p.messages) list.push(toKafkaMessage(m));
      byTopic.set(p.topic, list);
    }
    try {
      await withDeadline(
        producer.sendBatch({
          acks: -1,
          compression: compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        }),
        deadlineMs,
        'producing to Kafka',
      );
      if (!healthy) log?.info('Kafka accepts messages again');
      healthy = true;
      for (const p of batch) p.resolve();
    } catch (error) {
      const mapped = toKafkaError(error, `producing ${batch.length} batch(es)`, brokers);
      if (healthy) log?.warn({ err: mapped.message }, 'Kafka rejected or did not acknowledge a batch');
      healthy = false;
      for (const p of batch) p.reject(mapped);
    }
  };

  return {
    send(topic, messages) {
      if (closed)
        return Promise.reject(new UnavailableError('kafka', `producer closed; cannot send to ${topic}`));
      if (messages.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ topic, messages, resolve, reject });
        queued += messages.length;
        if (queued >= maxBatchMessages) void drain();
        else if (timer === undefined) timer = setTimeout(() => void drain(), lingerMs);
      });
    },
    async flush() {
      await drain();
    },
    async close() {
      if (closed) return;
      closed = true;
      await drain().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
    },
  };
}
