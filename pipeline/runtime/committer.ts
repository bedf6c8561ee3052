/**
 * Runs the commits of a runner's cuts one at a time, in the order the cuts were taken (commit.ts does
 * each), and keeps what they add up to: the run's totals, and how far apart checkpoints must be.
 */
import type { Logger } from '../logger.js';
import type { CheckpointStore } from './checkpoint.js';
import { type Cut, commitCut } from './commit.js';
import type { Groups } from './groups.js';
import { isEmptyBatch, type OutputBatch } from './output/collector.js';
import type { OutputWriter } from './output/table-writer.js';
import type { RuntimeSettings } from './settings.js';
import type { TopologyCut } from './topology/topology.js';

export interface RunnerHooks {
  /** A cut's outputs, once written (metrics, tests). */
  readonly onFlush?: (batch: OutputBatch) => void;
  readonly onTiming?: (what: 'batch' | 'flush', seconds: number) => void;
  /** Offsets committed after their checkpoint was saved: next offset per partition. */
  readonly onCommitted?: (offsets: ReadonlyMap<number, bigint>) => void;
  readonly onAssignment?: (partitions: readonly number[]) => void;
  /** A batch was taken (progress). */
  readonly onTaken?: (messages: readonly { readonly timestamp: number }[]) => void;
}

export interface RunSummary {
  /** Messages of the input topic taken (tweets.raw, or tweets.scored for the window stage). */
  consumed: number;
  stored: number;
  dropped: number;
  rejected: number;
  buckets: number;
  decisions: number;
  late: number;
  checkpoints: number;
}

export interface CommitterOptions {
  readonly writer: OutputWriter;
  readonly store: CheckpointStore | null;
  readonly commitOffsets: (offsets: ReadonlyMap<number, bigint>) => Promise<void>;
  readonly groups: Groups;
  readonly settings: RuntimeSettings;
  readonly hooks: RunnerHooks;
  readonly retry: {
    readonly log: Logger;
    readonly signal?: AbortSignal | undefined;
    readonly backoffMs?: number | undefined;
  };
}

/** A cut being taken: its outputs and states to come, and the offsets each state covers. */
export interface PendingCut {
  readonly taken: Promise<TopologyCut>;
  /** Input messages the cut covers (since the previous cut). */
  readonly inputs: number;
  readonly covers: readonly { readonly key: string; readonly offsets: ReadonlyMap<number, bigint> }[];
}

export class Committer {
  readonly total: RunSummary = {
    consumed: 0,
    stored: 0,
    dropped: 0,
    rejected: 0,
    buckets: 0,
    decisions: 0,
    late: 0,
    checkpoints: 0,
  };
  /** Least time between checkpoints now: the interval, or more for big states. */
  spacing: number;
  /** Cuts taken and not committed yet. */
  unfinished = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: CommitterOptions) {
    this.spacing = options.settings.checkpointIntervalMs;
  }

  /** Commits the cuts after every earlier one; `settled` runs when they are done, failed or not. */
  enqueue(cuts: readonly PendingCut[], settled: () => void): Promise<void> {
    this.unfinished++;
    const run = this.chain.then(async () => {
      try {
        for (const { taken, covers, inputs } of cuts) {
          const cut = await taken;
          const checkpoints = covers.flatMap(({ key, offsets }) => {
            const state = cut.states.get(key);
            return state === undefined ? [] : [{ key, state, offsets }];
          });
          await this.commit({ batch: cut.batch, checkpoints }, inputs);
        }
      } finally {
        this.unfinished--;
        settled();
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Settles once every cut enqueued so far was committed (or failed). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async commit(cut: Cut, inputs: number): Promise<void> {
    this.total.consumed += inputs;
    if (isEmptyBatch(cut.batch) && cut.checkpoints.length === 0) return;
    const { groups, hooks, retry, settings } = this.options;
    const started = performance.now();
    const done = await commitCut(cut, {
      writer: this.options.writer,
      store: this.options.store,
      commitOffsets: this.options.commitOffsets,
      seqs: groups.seqs,
      owns: (key) => groups.has(key),
      ...retry,
      onWritten: () => {
        hooks.onTiming?.('flush', (performance.now() - started) / 1000);
        this.count(cut.batch);
      },
    });
    if (done.offsets.size === 0) return;
    groups.offsets.committed(done.offsets);
    this.total.checkpoints += cut.checkpoints.length;
    this.spacing = Math.max(
      settings.checkpointIntervalMs,
      (done.stateBytes / settings.checkpointBytesPerSecond) * 1000,
    );
    retry.log.debug(
      {
        offsets: Object.fromEntries([...done.offsets].map(([p, o]) => [p, String(o)])),
        stateBytes: done.stateBytes,
      },
      'checkpoint committed',
    );
    hooks.onCommitted?.(done.offsets);
  }

  private count(batch: OutputBatch): void {
    const { tally } = batch;
    const t = this.total;
    t.stored += tally.stored;
    t.dropped += tally.dropped;
    t.rejected += tally.rejected;
    t.buckets += batch.buckets.length;
    t.decisions += batch.decisions.length;
    t.late += batch.late.length;
    this.options.retry.log.debug(
      {
        consumed: tally.consumed,
        stored: tally.stored,
        buckets: batch.buckets.length,
        decisions: batch.decisions.length,
      },
      'flushed',
    );
    this.options.hooks.onFlush?.(batch);
  }
}
