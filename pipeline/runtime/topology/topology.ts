/**
 * How a mode lays out its tasks, and what a cut takes from them. The runner (runner.ts) drives every
 * topology the same way: groups opened from their checkpoints, batches pushed in each partition's
 * order, cuts taken between two inputs, the end of input.
 *
 * A group is what is checkpointed and committed as one: every tweets.raw partition together
 * (`--stage all`, backtest: the window spans them all) or one partition alone (the split stages, whose
 * state is per partition so that a partition moves to another member with its state).
 */
import type { GroupState } from '../checkpoint.js';
import type { InputMessage } from '../message.js';
import type { OutputBatch } from '../output/collector.js';

export interface TopologyCut {
  readonly batch: OutputBatch;
  /** The states of the groups asked for, at the cut. */
  readonly states: ReadonlyMap<string, GroupState>;
}

export interface Topology {
  /** 'all': one group of every partition, opened before consuming; 'partition': one per partition. */
  readonly layout: 'all' | 'partition';
  /** Opens a group from its checkpoint's state (undefined: from the beginning). */
  open(key: string, partitions: readonly number[], from: GroupState | undefined): void;
  /** Forgets a group whose partitions moved to another member. */
  drop(key: string): void;
  /** Hands one partition's messages on, in offset order. */
  push(partition: number, messages: readonly InputMessage[]): void;
  /** The outputs of every input pushed so far, and the states of the groups `keys` at that point. */
  cut(keys: readonly string[]): Promise<TopologyCut>;
  /**
   * Live, no input for `idleFor` ms: time still passes, so buckets can close (each topology says how
   * far: idleEventTime). `partitions`: the ones this member holds.
   */
  idle(now: number, idleFor: number, partitions: readonly number[]): void;
  /** End of input: closes what is open (the buckets). Not checkpointed. */
  finish(): void;
  /**
   * End of input for a group this member may not hold (its state from its checkpoint): closes what it
   * holds open. A window stage finishes every partition so, since ownership moves as members leave.
   */
  finishGroup?(key: string, from: GroupState | undefined): void;
  /** Closed buckets, decisions, late tweets or marks wait for a cut. */
  readonly pendingOutput: boolean;
  /** Latest event time pushed, or null before any. */
  readonly latestEventTime: number | null;
  /** Tells `onFailure` when the tasks fail on their own (a score thread crashed): the run must stop. */
  watch?(onFailure: (error: Error) => void): void;
  close(): Promise<void>;
}

/** The key of a group: the topic for all partitions, `topic#p` for one. */
export const groupKey = (topic: string, partition?: number): string =>
  partition === undefined ? topic : `${topic}#${partition}`;

/**
 * Where a quiet live stream is taken to be in event time: on at wall-clock pace from the last event seen.
 * Live, that is now; a replay of old tweets is not declared late wholesale (its last hour closes an hour
 * of idleness later), and before any input nothing moves (null).
 */
export function idleEventTime(now: number, idleFor: number, latestEventTime: number | null): number | null {
  if (latestEventTime === null) return null;
  return Math.min(now, latestEventTime + idleFor);
}
