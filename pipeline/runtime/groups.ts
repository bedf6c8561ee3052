/**
 * The task groups a runner holds, each with its partitions' positions and its checkpoint's seq: opened
 * from the checkpoint store (or from the start of the topic), dropped when their partitions move to
 * another member.
 */
import type { Logger } from '../logger.js';
import type { CheckpointStore } from './checkpoint.js';
import { Offsets } from './offsets.js';
import { persistently } from './persistently.js';
import type { Topology } from './topology/topology.js';

export interface GroupsOptions {
  readonly topology: Topology;
  readonly store: CheckpointStore | null;
  /** Where each partition starts when no checkpoint says otherwise. */
  readonly starts: ReadonlyMap<number, bigint>;
  readonly retry: {
    readonly log: Logger;
    readonly signal?: AbortSignal | undefined;
    readonly backoffMs?: number | undefined;
  };
}

export class Groups {
  readonly offsets = new Offsets();
  /** The newest seq saved per group key. */
  readonly seqs = new Map<string, number>();
  /** Groups with inputs since their last checkpoint. */
  readonly dirty = new Set<string>();
  private readonly partitionsOf = new Map<string, readonly number[]>();

  constructor(private readonly options: GroupsOptions) {}

  get keys(): string[] {
    return [...this.partitionsOf.keys()];
  }

  has(key: string): boolean {
    return this.partitionsOf.has(key);
  }

  partitions(key: string): readonly number[] {
    return this.partitionsOf.get(key) ?? [];
  }

  /** Loads the group's checkpoint, opens its tasks from it and resumes its partitions where it left off. */
  async open(key: string, partitions: readonly number[]): Promise<void> {
    const { store, topology, starts, retry } = this.options;
    const checkpoint =
      store === null ? null : await persistently('loading a checkpoint', () => store.load(key), retry);
    topology.open(key, partitions, checkpoint?.state);
    this.seqs.set(key, checkpoint?.seq ?? 0);
    for (const p of partitions) {
      const low = starts.get(p) ?? 0n;
      const saved = checkpoint?.offsets.get(p);
      // Behind the topic's start, the messages are gone (retention): read what is left.
      this.offsets.resume(p, saved !== undefined && saved > low ? saved : low);
    }
    this.partitionsOf.set(key, partitions);
    retry.log.info(
      {
        group: key,
        seq: checkpoint?.seq ?? 0,
        offsets: Object.fromEntries(partitions.map((p) => [p, String(this.offsets.next(p))])),
      },
      checkpoint ? 'resuming from checkpoint' : 'starting without checkpoint',
    );
  }

  /** Forgets a group whose partitions moved to another member: its new owner resumes it. */
  drop(key: string): void {
    for (const p of this.partitions(key)) this.offsets.forget(p);
    this.partitionsOf.delete(key);
    this.dirty.delete(key);
    this.options.topology.drop(key);
  }

  /** Drops every group with a partition not in `assigned`. */
  keepOnly(assigned: readonly number[]): void {
    for (const key of this.keys) if (!this.partitions(key).every((p) => assigned.includes(p))) this.drop(key);
  }
}
