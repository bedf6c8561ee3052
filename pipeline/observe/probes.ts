/**
 * Periodic dependency probes for a long-running command: Kafka (end offsets of the input topic and,
 * for a consumer group, its committed offsets -> consumer lag per partition) and ClickHouse (ping).
 * Each answer updates readiness; the lag is therefore as fresh as the group's last commit (process
 * commits at every checkpoint, 10 s by default).
 */
import type { Admin, Kafka } from 'kafkajs';
import { describeError } from '../../lib/errors.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface ProbeOptions {
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly kafka?: { readonly client: Kafka; readonly topic: string; readonly groupId?: string };
  readonly clickhouse?: { ping(): Promise<{ success: boolean; error?: Error }> };
  readonly intervalMs?: number;
}

export interface Probes {
  /** Runs every probe once now (tests, start-up). */
  probeOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startProbes(options: ProbeOptions): Probes {
  const { metrics, readiness } = options;
  let admin: Admin | null = null;
  let connected = false;
  if (options.kafka) readiness.register('kafka');
  if (options.clickhouse) readiness.register('clickhouse');

  const probeKafka = async (): Promise<void> => {
    const k = options.kafka;
    if (!k) return;
    try {
      admin ??= k.client.admin();
      if (!connected) {
        await admin.connect();
        connected = true;
      }
      const ends = await admin.fetchTopicOffsets(k.topic);
      if (k.groupId) {
        const [committed] = await admin.fetchOffsets({ groupId: k.groupId, topics: [k.topic] });
        const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
        for (const p of ends) {
          const c = at.get(p.partition) ?? -1n;
          const lag = c < 0n ? BigInt(p.high) - BigInt(p.low) : BigInt(p.high) - c;
          metrics.consumerLag.set({ topic: k.topic, partition: String(p.partition) }, Number(lag));
        }
      }
      readiness.ok('kafka');
    } catch (error) {
      readiness.failed('kafka', describeError(error));
    }
  };
  const probeClickHouse = async (): Promise<void> => {
    if (!options.clickhouse) return;
    try {
      const result = await options.clickhouse.ping();
      if (result.success) readiness.ok('clickhouse');
      else readiness.failed('clickhouse', describeError(result.error ?? 'ping failed'));
    } catch (error) {
      readiness.failed('clickhouse', describeError(error));
    }
  };
  const probeOnce = async (): Promise<void> => {
    await Promise.all([probeKafka(), probeClickHouse()]);
  };
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = probeOnce();
  }, options.intervalMs ?? 5_000);
  timer.unref();
  running = probeOnce();
  return {
    probeOnce,
    async stop() {
      clearInterval(timer);
      await running;
      if (admin && connected) await admin.disconnect().catch(() => undefined);
    },
  };
}
