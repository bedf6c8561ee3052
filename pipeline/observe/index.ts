/**
 * One call for a long-running command: metrics registry, readiness, dependency probes and the HTTP
 * server (/metrics, /healthz, /readyz) on config.metrics.host:port (port 0 = off; metrics are still
 * counted). A port already in use is logged as a warning and the command runs without endpoints
 * (two instances on one host need distinct METRICS_PORTs). `close()` stops the probes and the server.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { describeError } from '../../lib/errors.js';
import type { Config } from '../config.js';
import { createMetrics, type Metrics } from './metrics.js';
import { startProbes } from './probes.js';
import { createReadiness, type Readiness } from './readiness.js';
import { startObserveServer } from './server.js';

export { instrumentClickHouse, instrumentExchangeSink, instrumentProducer } from './instrument.js';
export { createMetrics, type Metrics } from './metrics.js';
export { createFlushObserver } from './observe-flush.js';
export { createReadiness, type Readiness } from './readiness.js';
export { startObserveServer } from './server.js';

export interface Observability {
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  /** Where the endpoints answer, or null when METRICS_PORT is 0. */
  readonly url: string | null;
  close(): Promise<void>;
}

export async function startObservability(
  config: Config['metrics'],
  deps: {
    readonly logger: Logger;
    readonly kafka?: { readonly client: Kafka; readonly topic: string; readonly groupId?: string };
    readonly clickhouse?: { ping(): Promise<{ success: boolean; error?: Error }> };
    readonly probeIntervalMs?: number;
  },
): Promise<Observability> {
  const metrics = createMetrics();
  const readiness = createReadiness({ staleMs: config.readyStaleMs, metrics });
  const probes = startProbes({
    metrics,
    readiness,
    ...(deps.kafka ? { kafka: deps.kafka } : {}),
    ...(deps.clickhouse ? { clickhouse: deps.clickhouse } : {}),
    intervalMs: deps.probeIntervalMs ?? Math.max(1_000, Math.floor(config.readyStaleMs / 3)),
  });
  const server =
    config.port === 0
      ? null
      : await startObserveServer({
          host: config.host,
          port: config.port,
          registry: metrics.registry,
          readiness,
          logger: deps.logger.child({ module: 'observe' }),
        }).catch((error: unknown) => {
          // Metrics are not worth stopping the pipeline for (e.g. a second instance on one host):
          // say so loudly and run without the endpoints.
          deps.logger.warn(
            { err: describeError(error) },
            'metrics and health endpoints disabled: set METRICS_PORT to a free port (0 = off)',
          );
          return null;
        });
  return {
    metrics,
    readiness,
    url: server?.url ?? null,
    async close() {
      await Promise.all([probes.stop(), server?.close()]);
    },
  };
}
