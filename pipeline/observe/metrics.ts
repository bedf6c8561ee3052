/**
 * The metrics every long-running command exports on /metrics (Prometheus text format). One registry
 * per process (not prom-client's global one, so tests can make as many as they like); commands feed
 * it through the observe* functions below and the runners' hooks (`onFlush`, `onExecuted`, ...).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds, from 1 ms to 30 s: a flush can wait out an outage. */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface Metrics {
  readonly registry: Registry;
  /** Input messages read (tweets.raw for process, signals for trade, envelopes for ingest). */
  readonly consumed: Counter<'command'>;
  /** Messages written to Kafka, by topic. */
  readonly produced: Counter<'topic'>;
  /** Inputs dropped (duplicate, language, no_symbol, spam, late, ...), by stage and reason. */
  readonly dropped: Counter<'stage' | 'reason'>;
  /** Inputs dead-lettered to tweets.dlq, by reason. */
  readonly dlq: Counter<'reason'>;
  readonly scored: Counter;
  readonly bucketsClosed: Counter<'symbol'>;
  readonly decisions: Counter<'action'>;
  readonly orders: Counter<'status'>;
  /** Latest end offset minus the group's committed offset, per partition. */
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  /** One batch from the source, from fetch to hand-off. */
  readonly batchSeconds: Histogram<'command'>;
  /** One flush of results: ClickHouse rows + Kafka messages (+ orders) durable. */
  readonly flushSeconds: Histogram;
  /** Wall-clock time minus the window's watermark (event time), seconds. */
  readonly watermarkDelay: Gauge;
  readonly clickhouseInsertSeconds: Histogram;
  readonly clickhouseErrors: Counter<'kind'>;
  readonly xReconnects: Counter<'cause'>;
  /** 1 while the dependency answers, by name (kafka, clickhouse). */
  readonly dependencyUp: Gauge<'dependency'>;
}

export function createMetrics(options: { readonly defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'sentiflow' });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'sentiflow_' });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: `sentiflow_${name}`, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Histogram<L>({ name: `sentiflow_${name}`, help, labelNames, buckets: LATENCY_BUCKETS, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name: `sentiflow_${name}`, help, labelNames, registers });
  return {
    registry,
    consumed: counter('consumed_total', 'input messages consumed', ['command']),
    produced: counter('produced_total', 'messages written to Kafka', ['topic']),
    dropped: counter('dropped_total', 'inputs dropped, by stage and reason', ['stage', 'reason']),
    dlq: counter('dlq_total', 'inputs dead-lettered to tweets.dlq, by reason', ['reason']),
    scored: counter('scored_total', 'tweets scored and stored'),
    bucketsClosed: counter('buckets_closed_total', 'hourly buckets closed', ['symbol']),
    decisions: counter('decisions_total', 'strategy decisions', ['action']),
    orders: counter('orders_total', 'execution records, by status', ['status']),
    consumerLag: gauge('consumer_lag_messages', 'end offset minus committed offset', ['topic', 'partition']),
    batchSeconds: histogram('batch_seconds', 'time to handle one consumed batch', ['command']),
    flushSeconds: histogram('flush_seconds', 'time until one flush of results is durable'),
    watermarkDelay: gauge('watermark_delay_seconds', 'wall-clock time minus the event-time watermark'),
    clickhouseInsertSeconds: histogram('clickhouse_insert_seconds', 'time of one ClickHouse write'),
    clickhouseErrors: counter('clickhouse_errors_total', 'failed ClickHouse requests', ['kind']),
    xReconnects: counter('x_reconnects_total', 'X stream reconnects, by cause', ['cause']),
    dependencyUp: gauge('dependency_up', '1 while the dependency answers', ['dependency']),
  };
}
