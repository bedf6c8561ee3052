/**
 * Metrics for a paced source (the synthetic source's `onPace`), registered on the command's registry:
 * the rate asked for, how far behind schedule it is, and how many envelopes slipped because the sink
 * held it back. A dashboard (or an alert) then sees a source that cannot keep up without reading logs.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Pace } from '../sources/pacer.js';

export function createPaceMetrics(registry: Registry, source = 'synthetic'): (pace: Pace) => void {
  const registers = [registry];
  const target = new Gauge<'source'>({
    name: 'sentiflow_source_target_rate',
    help: 'envelopes per second a paced source was asked for',
    labelNames: ['source'],
    registers,
  });
  const behind = new Gauge<'source'>({
    name: 'sentiflow_source_behind_messages',
    help: 'envelopes a paced source is behind its schedule (CPU or event loop too slow)',
    labelNames: ['source'],
    registers,
  });
  const heldBack = new Counter<'source'>({
    name: 'sentiflow_source_held_back_total',
    help: 'envelopes a paced source did not emit because the sink (Kafka) held it back',
    labelNames: ['source'],
    registers,
  });
  const labels = { source };
  let counted = 0;
  return (pace) => {
    target.set(labels, pace.rate);
    behind.set(labels, pace.behind);
    if (pace.heldBack > counted) {
      heldBack.inc(labels, pace.heldBack - counted);
      counted = pace.heldBack;
    }
  };
}
