/**
 * Turns what `process` reports into metrics: one OutputBatch per committed cut (the runner's
 * `onFlush`). Messages produced, ClickHouse writes and orders are counted by the wrappers in
 * instrument.ts.
 */
import type { OutputBatch } from '../runtime/output/collector.js';
import { reasonOf } from '../runtime/tally.js';
import type { Metrics } from './metrics.js';

export interface FlushObserver {
  (batch: OutputBatch): void;
  /** Latest event time seen (epoch ms), or null before the first tweet. */
  readonly latestEventTime: () => number | null;
}

/**
 * Counts a flush. The watermark delay is wall-clock time minus (latest event time seen minus the
 * window's out-of-orderness): an upper bound on how far the window's watermark trails real time.
 */
export function createFlushObserver(
  metrics: Metrics,
  options: { readonly maxOutOfOrdernessMs: number; readonly now?: () => number },
): FlushObserver {
  const now = options.now ?? Date.now;
  let latest: number | null = null;
  const observe = (out: OutputBatch): void => {
    const { tally } = out;
    metrics.consumed.inc({ command: 'process' }, tally.consumed);
    for (const [key, n] of tally.reasons) {
      const { outcome, stage, reason } = reasonOf(key);
      if (outcome === 'dropped') metrics.dropped.inc({ stage, reason }, n);
      if (outcome === 'rejected') metrics.dlq.inc({ reason }, n);
    }
    const eventTime = tally.latestEventTime;
    if (Number.isFinite(eventTime) && eventTime > 0 && (latest === null || eventTime > latest))
      latest = eventTime;
    for (const d of out.late) metrics.dropped.inc({ stage: d.stage, reason: d.reason });
    metrics.scored.inc(tally.stored);
    for (const b of out.buckets) metrics.bucketsClosed.inc({ symbol: b.symbol });
    for (const d of out.decisions) metrics.decisions.inc({ action: d.action });
    if (latest !== null)
      metrics.watermarkDelay.set(Math.max(0, (now() - (latest - options.maxOutOfOrdernessMs)) / 1000));
  };
  return Object.assign(observe, { latestEventTime: () => latest });
}
