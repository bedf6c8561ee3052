/**
 * Per-source accounting of what a live source received but did not necessarily write: matched,
 * unmatched, repeats, rejections and each kind of ignored event (identity, account, deletes, edits...).
 * Counted from the first message; exported on /metrics once the registry is attached
 * (`sentiflow_source_events_total{source,outcome}`, `sentiflow_source_matched_total{source,tag}`), and
 * logged with the final stats.
 */
import { Counter, type Registry } from 'prom-client';

export interface SourceCounts {
  readonly onCount: (outcome: string, tags?: readonly string[]) => void;
  attach(registry: Registry): void;
  snapshot(): Record<string, number>;
}

export function createSourceCounts(source: string): SourceCounts {
  const totals = new Map<string, number>();
  const byTag = new Map<string, number>();
  let events: Counter<'source' | 'outcome'> | null = null;
  let matched: Counter<'source' | 'tag'> | null = null;
  return {
    onCount(outcome, tags = []) {
      totals.set(outcome, (totals.get(outcome) ?? 0) + 1);
      events?.inc({ source, outcome });
      for (const tag of tags) {
        byTag.set(tag, (byTag.get(tag) ?? 0) + 1);
        matched?.inc({ source, tag });
      }
    },
    attach(registry) {
      const registers = [registry];
      events = new Counter({
        name: 'sentiflow_source_events_total',
        help: 'messages a live source received, by outcome (matched, unmatched, repeat, rejected, ignored kinds)',
        labelNames: ['source', 'outcome'],
        registers,
      });
      matched = new Counter({
        name: 'sentiflow_source_matched_total',
        help: 'posts a live source wrote, by the tag of each rule they matched',
        labelNames: ['source', 'tag'],
        registers,
      });
      for (const [outcome, n] of totals) events.inc({ source, outcome }, n);
      for (const [tag, n] of byTag) matched.inc({ source, tag }, n);
    },
    snapshot: () => Object.fromEntries(totals),
  };
}
