/**
 * The commit protocol, the same in every mode that commits. A cut is taken synchronously between two
 * inputs, in input order: the collector's outputs of every input before it and, when a checkpoint is
 * due, each group's state with the offsets that state covers. Its commit then runs, after the previous
 * cut's, in three steps:
 *
 *   1. write the outputs (idempotent: ReplacingMergeTree keys, keyed messages, orders looked up by id);
 *   2. save each group's state with its offsets (a checkpoint; the newest seq wins);
 *   3. commit those offsets to Kafka.
 *
 * Each step is retried while Kafka or ClickHouse is away. Killed between any two steps, a restart ends
 * with the same tables: before 2 it resumes from the previous checkpoint and the replayed inputs write
 * the same rows again, which replace themselves; between 2 and 3 it resumes from the new checkpoint,
 * whose offsets win over the committed ones.
 */
import type { Logger } from '../logger.js';
import type { CheckpointStore, GroupState } from './checkpoint.js';
import type { OutputBatch } from './output/collector.js';
import type { OutputWriter } from './output/table-writer.js';
import { persistently } from './persistently.js';

/** One group's state at a cut, with the next offset of each of its partitions. */
export interface GroupCheckpoint {
  readonly key: string;
  readonly state: GroupState;
  readonly offsets: ReadonlyMap<number, bigint>;
}

export interface Cut {
  readonly batch: OutputBatch;
  /** Empty when no checkpoint was due (or the runtime never saves one, as a backtest). */
  readonly checkpoints: readonly GroupCheckpoint[];
}

export interface CommitPorts {
  readonly writer: OutputWriter;
  /** Null: outputs only (a backtest, the end-of-input flush). */
  readonly store: CheckpointStore | null;
  readonly commitOffsets: (offsets: ReadonlyMap<number, bigint>) => Promise<void>;
  /** The newest seq saved per group key (loaded with the group's checkpoint). */
  readonly seqs: Map<string, number>;
  /** False for a group that moved to another member since the cut: its new owner checkpoints it. */
  readonly owns: (key: string) => boolean;
  readonly log: Logger;
  readonly signal?: AbortSignal | undefined;
  /** First back-off of a retried step (persistently.ts). */
  readonly backoffMs?: number | undefined;
  /** Step 1 is done: the outputs are durable. */
  readonly onWritten?: () => void;
}

export interface Committed {
  /** Offsets committed in step 3, per partition. */
  readonly offsets: ReadonlyMap<number, bigint>;
  /** Largest state saved, bytes (0 when none). */
  readonly stateBytes: number;
}

export async function commitCut(cut: Cut, ports: CommitPorts): Promise<Committed> {
  const retry = { log: ports.log, signal: ports.signal, backoffMs: ports.backoffMs };
  // 1. Outputs first: nothing below may claim inputs whose results are not durable.
  await persistently('writing results', () => ports.writer.write(cut.batch), retry);
  ports.onWritten?.();
  const due = ports.store === null ? [] : cut.checkpoints.filter((c) => ports.owns(c.key));
  if (due.length === 0) return { offsets: new Map(), stateBytes: 0 };
  // 2. Each state with the offsets it covers.
  const store = ports.store!;
  const sizes = await Promise.all(
    due.map((c) => {
      const seq = (ports.seqs.get(c.key) ?? 0) + 1;
      ports.seqs.set(c.key, seq);
      return persistently(
        'saving a checkpoint',
        () => store.save(c.key, { seq, offsets: c.offsets, state: c.state }),
        retry,
      );
    }),
  );
  // 3. Only now the offsets: a restart never skips what the saved states do not cover.
  const offsets = new Map(due.flatMap((c) => [...c.offsets]));
  await persistently('committing offsets', () => ports.commitOffsets(offsets), retry);
  return { offsets, stateBytes: Math.max(0, ...sizes) };
}
