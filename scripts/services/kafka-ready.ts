import { Kafka, logLevel } from 'kafkajs';
import { pollUntil } from './poll.js';

/**
 * Waits until the broker really serves clients (metadata through kafkajs admin), then warms it up:
 * on a fresh broker the first FindCoordinator (group and transaction) creates the internal topics and
 * answer "coordinator loading" meanwhile, which kafkajs retries but logs as ERROR in the first test.
 */
export async function waitForKafka(
  brokers: readonly string[],
  options: { timeoutMs: number; abort?: () => Error | undefined },
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'sentiflow-services',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  });
  await pollUntil(
    async () => {
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return cluster.brokers.length > 0;
      } finally {
        await admin.disconnect();
      }
    },
    {
      timeoutMs: options.timeoutMs,
      intervalMs: 200,
      what: `Kafka metadata from ${brokers.join(',')}`,
      abort: options.abort,
    },
  );
  // Coordinator errors right after start ("loading", "not the correct coordinator") pass within seconds.
  // An idempotent producer refuses to exist without retries, so the warm-up client gets a few.
  const patient = new Kafka({
    clientId: 'sentiflow-services',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100 },
  });
  await pollUntil(
    async () => {
      const admin = patient.admin();
      // A transactional id makes InitProducerId find (and create) the transaction coordinator too.
      const producer = patient.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        transactionalId: 'sentiflow-warmup',
      });
      try {
        await admin.connect();
        await admin.fetchOffsets({ groupId: 'sentiflow-warmup', topics: [] });
        await producer.connect();
        return true;
      } finally {
        await producer.disconnect();
        await admin.disconnect();
      }
    },
    {
      timeoutMs: options.timeoutMs,
      intervalMs: 200,
      what: 'the Kafka group and transaction coordinators',
      abort: options.abort,
    },
  );
}
