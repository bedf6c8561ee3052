import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../pipeline/observe/metrics.js';
import { createFlushObserver } from '../../../pipeline/observe/observe-flush.js';
import { emptyBatch, type OutputBatch } from '../../../pipeline/runtime/output/collector.js';
import { countInput, type IntakeRecord } from '../../../pipeline/runtime/tally.js';

const HOUR = 3_600_000;

/** A batch of these inputs (counted into its tally) and outputs. */
function output(
  partial: Pick<OutputBatch, 'buckets' | 'decisions'> & { inputs: readonly IntakeRecord[] },
): OutputBatch {
  const { inputs, ...rest } = partial;
  const batch = { ...emptyBatch(), ...rest };
  for (const r of inputs) countInput(batch.tally, r.outcome, r.eventTime, r.stage, r.reason);
  return batch;
}

async function value(metrics: ReturnType<typeof createMetrics>, name: string, labels = {}) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const found = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return found?.value;
}

describe('createFlushObserver', () => {
  it('counts every input under its outcome, and buckets and decisions', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const observe = createFlushObserver(metrics, { maxOutOfOrdernessMs: 60_000, now: () => 10 * HOUR });
    const rec = (
      outcome: 'stored' | 'dropped' | 'rejected',
      reason: string,
      eventTime = 9 * HOUR,
    ): IntakeRecord => ({
      partition: 0,
      offset: '1',
      eventTime,
      tweetId: '1',
      outcome,
      stage: outcome === 'rejected' ? 'normalize' : 'filter',
      reason,
      source: 'x',
    });
    observe(
      output({
        inputs: [
          rec('stored', ''),
          rec('dropped', 'language'),
          rec('dropped', 'language'),
          rec('rejected', 'bad_json'),
        ],
        buckets: [{ symbol: 'BTC' } as OutputBatch['buckets'][number]],
        decisions: [{ action: 'BUY' } as OutputBatch['decisions'][number]],
      }),
    );
    expect(await value(metrics, 'sentiflow_consumed_total')).toBe(4);
    expect(await value(metrics, 'sentiflow_dropped_total', { reason: 'language' })).toBe(2);
    expect(await value(metrics, 'sentiflow_dlq_total', { reason: 'bad_json' })).toBe(1);
    expect(await value(metrics, 'sentiflow_buckets_closed_total', { symbol: 'BTC' })).toBe(1);
    expect(await value(metrics, 'sentiflow_decisions_total', { action: 'BUY' })).toBe(1);
    // watermark = 9 h - 1 min; now = 10 h -> 61 minutes behind
    expect(await value(metrics, 'sentiflow_watermark_delay_seconds')).toBe(61 * 60);
    expect(observe.latestEventTime()).toBe(9 * HOUR);
  });
});
