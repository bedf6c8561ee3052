/**
 * `process --stage score`: a score task per tweets.raw partition, each its own group (checkpointed
 * alone, so a rebalance moves a partition with its dedupe memory). Writes what `--stage all` writes for
 * its inputs (intake, tweets, DLQ) and feeds the window stage through tweets.scored: one record per
 * stored tweet and symbol, keyed by symbol, and at every cut a mark per partition whose watermark moved
 * (so quiet partitions do not hold the window stage's buckets open). Records come before marks.
 */
import type { ScoreChain } from '../chain.js';
import type { GroupState, ScoreState } from '../checkpoint.js';
import { Collector, type CollectorOptions } from '../output/collector.js';
import { markMessages, scoredMessages } from '../output/formats.js';
import { createScoreTask, type ScoreSettings, type ScoreTask } from '../score-task.js';
import { groupKey, type Topology } from './topology.js';

export interface ScoreStageOptions {
  readonly scoreChain: ScoreChain;
  readonly score: ScoreSettings;
  /** tweets.raw (group keys name it). */
  readonly topic: string;
  /** Every tweets.scored partition: each mark goes to all of them. */
  readonly scoredPartitions: readonly number[];
  readonly collector: CollectorOptions;
}

interface Lane {
  readonly task: ScoreTask;
  /** Watermark of the last mark sent; undefined before the first. */
  markSent: number | null | undefined;
  /** Inputs since the last cut. */
  moved: boolean;
}

export function createScoreStage(options: ScoreStageOptions): Topology {
  const collector = new Collector(options.collector);
  const lanes = new Map<number, Lane>();
  const partitionOf = new Map<string, number>();
  let latest: number | null = null;
  const mark = (source: number, watermarkBefore: number | null): void =>
    collector.repartition(markMessages({ source, watermarkBefore }, options.scoredPartitions));
  return {
    layout: 'partition',
    open(key, [partition], from) {
      if (partition === undefined) throw new RangeError(`score group ${key} has no partition`);
      const state = from as ScoreState | undefined;
      const task = createScoreTask(partition, options.scoreChain, options.score, state);
      lanes.set(partition, { task, markSent: undefined, moved: false });
      partitionOf.set(key, partition);
    },
    drop(key) {
      const partition = partitionOf.get(key);
      if (partition === undefined) return;
      lanes.delete(partition);
      partitionOf.delete(key);
    },
    push(partition, messages) {
      const lane = lanes.get(partition);
      if (lane === undefined) throw new RangeError(`partition ${partition} is not open here`);
      for (const m of messages) {
        const r = lane.task.push(m);
        collector.score(r);
        if (latest === null || r.eventTime > latest) latest = r.eventTime;
        if (r.item.kind === 'scored') {
          collector.repartition(scoredMessages(r.item, partition, m.offset, r.watermarkBefore));
        }
      }
      lane.moved = true;
    },
    cut(keys) {
      for (const [partition, lane] of [...lanes].sort(([a], [b]) => a - b)) {
        if (!lane.moved) continue;
        lane.moved = false;
        const watermark = lane.task.watermark;
        if (lane.markSent !== undefined && lane.markSent === watermark) continue;
        lane.markSent = watermark;
        mark(partition, watermark);
      }
      const states = new Map<string, GroupState>();
      for (const key of keys) {
        const partition = partitionOf.get(key);
        if (partition !== undefined) states.set(key, lanes.get(partition)!.task.snapshot());
      }
      return Promise.resolve({ batch: collector.take(), states });
    },
    // The window stage may wait on partitions this member never read: their marks say "now".
    idle(now, _idleFor, partitions) {
      for (const p of partitions) mark(p, now);
    },
    finish() {
      // Nothing held back: every record went out with its cut.
    },
    get pendingOutput() {
      return collector.pendingOutput;
    },
    get latestEventTime() {
      return latest;
    },
    close: () => Promise.resolve(),
  };
}

export { groupKey };
