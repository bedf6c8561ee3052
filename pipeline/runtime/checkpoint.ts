/**
 * The one owner of the checkpoint format: what a checkpoint holds for each kind of task group, the
 * version it is written with, and the one check that refuses a version this code cannot resume from.
 * Checkpoints are stored through a CheckpointStore: ClickHouse's process_checkpoints in production
 * (sinks/clickhouse/checkpoints.ts writes the row), memory in unit tests.
 *
 * Version 1, by kind of group (a group is checkpointed and committed as one):
 *  - process: `--stage all`, every tweets.raw partition together: each partition's dedupe memory, the
 *    windows (a watermark per partition) and the decider (history, positions);
 *  - score: `--stage score`, one tweets.raw partition: its dedupe memory and its watermark;
 *  - window: `--stage window`, one tweets.scored partition: windows, decider, and per source partition
 *    the last record applied (records a replayed score stage sends again are skipped).
 * Each state is saved with the offsets it covers: the next offset to read per partition.
 */

import { RejectedError } from '../../lib/errors.js';
import type { DedupeSnapshot } from '../../operators/index.js';
import { loadCheckpoint, saveCheckpoint } from '../../sinks/clickhouse/checkpoints.js';
import type { ClickHouseClient } from '../../sinks/clickhouse/client.js';
import type { Logger } from '../logger.js';
import type { ScoreTaskSnapshot } from './score-task.js';
import type { WindowTaskSnapshot } from './window-task.js';

export const CHECKPOINT_VERSION = 1;

export interface ProcessState extends WindowTaskSnapshot {
  /** Dedupe memory per tweets.raw partition. */
  readonly dedupe: Readonly<Record<string, DedupeSnapshot>>;
}

export type ScoreState = ScoreTaskSnapshot;

export interface AppliedPosition {
  readonly offset: string;
  readonly symbol: string;
}

export interface WindowStageState extends WindowTaskSnapshot {
  /**
   * Last record applied, per tweets.raw partition: its source offset and symbol (a tweet for several
   * symbols of this partition sends one record per symbol, in symbol order, under one offset).
   */
  readonly applied: Readonly<Record<string, AppliedPosition>>;
}

export type GroupState = ProcessState | ScoreState | WindowStageState;

export interface Checkpoint<State extends GroupState = GroupState> {
  /** Saves so far under this key; the newest wins. */
  readonly seq: number;
  /** Next offset to read, per partition. */
  readonly offsets: ReadonlyMap<number, bigint>;
  readonly state: State;
}

/** Where checkpoints live, keyed by the group's topic key (`tweets.raw`, `tweets.raw#2`, ...). */
export interface CheckpointStore {
  load(key: string): Promise<Checkpoint | null>;
  /** Saves; resolves with the size of the stored state, bytes (checkpoints are spaced out by it). */
  save(key: string, checkpoint: Checkpoint): Promise<number>;
}

/** A loaded state this code can resume from, or a one-line refusal saying what to do. */
export function checkState<State extends GroupState>(state: unknown, where: string): State {
  const version = (state as { version?: unknown } | null)?.version;
  switch (version) {
    case CHECKPOINT_VERSION:
      return state as State;
    default:
      throw new RejectedError(
        'clickhouse',
        `${where} has unknown version ${String(version)} (written by another sentiflow; start afresh with another --group, or delete it from process_checkpoints)`,
      );
  }
}

const offsetsOut = (offsets: ReadonlyMap<number, bigint>): Record<string, string> =>
  Object.fromEntries([...offsets].map(([p, o]) => [String(p), o.toString()]));

/** Checkpoints in ClickHouse `process_checkpoints`, under one consumer group. */
export function clickHouseCheckpoints(
  client: ClickHouseClient,
  options: { readonly url: string; readonly groupId: string; readonly logger?: Logger },
): CheckpointStore {
  const key = (topic: string) => ({ url: options.url, groupId: options.groupId, topic });
  return {
    async load(topic) {
      const found = await loadCheckpoint<unknown>(client, key(topic));
      if (found === null) return null;
      return {
        seq: found.seq,
        offsets: new Map(Object.entries(found.offsets).map(([p, o]) => [Number(p), BigInt(o)])),
        state: checkState(found.state, `checkpoint of ${options.groupId} on ${topic}`),
      };
    },
    save: (topic, c) =>
      saveCheckpoint(
        client,
        key(topic),
        { seq: c.seq, offsets: offsetsOut(c.offsets), state: c.state },
        options.logger ? { logger: options.logger } : {},
      ),
  };
}
