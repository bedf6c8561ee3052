import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPaceMetrics } from '../../../pipeline/ingest/pace-metrics.js';

const pace = (behind: number, heldBack: number) => ({
  rate: 5_000,
  emitted: 100,
  behind,
  heldBack,
  elapsedMs: 1_000,
});

describe('createPaceMetrics', () => {
  it('exports the target rate, the backlog behind schedule and what the sink held back', async () => {
    const registry = new Registry();
    const observe = createPaceMetrics(registry);
    observe(pace(1_200, 0));
    observe(pace(300, 500));
    observe(pace(0, 800));
    const text = await registry.metrics();
    expect(text).toContain('sentiflow_source_target_rate{source="synthetic"} 5000');
    expect(text).toContain('sentiflow_source_behind_messages{source="synthetic"} 0');
    expect(text).toContain('sentiflow_source_held_back_total{source="synthetic"} 800');
  });
});
