/**
 * Positions per partition, processed and durable in one object (as kafkajs's offset manager keeps
 * resolved and committed offsets): `next` is the offset after the last message handed to the tasks,
 * `durable` the offset committed once everything before it was written and checkpointed. A restart
 * resumes at the checkpoint's offsets, never behind what is durable.
 */
export class Offsets {
  private readonly nextOf = new Map<number, bigint>();
  private readonly durableOf = new Map<number, bigint>();

  /** Where a partition resumes (its checkpoint's offset, or the start of the topic). */
  resume(partition: number, at: bigint): void {
    this.nextOf.set(partition, at);
    this.durableOf.set(partition, at);
  }

  /** Partitions with a position (assigned and resumed). */
  get partitions(): number[] {
    return [...this.nextOf.keys()].sort((a, b) => a - b);
  }

  has(partition: number): boolean {
    return this.nextOf.has(partition);
  }

  /** The next offset to read, or undefined for a partition not resumed here. */
  next(partition: number): bigint | undefined {
    return this.nextOf.get(partition);
  }

  /** A message was handed to the tasks: the partition's next offset is the one after it. */
  processed(partition: number, offset: bigint): void {
    this.nextOf.set(partition, offset + 1n);
  }

  /** The next offsets of `partitions` now: what a state taken now covers. */
  cover(partitions: readonly number[]): Map<number, bigint> {
    const out = new Map<number, bigint>();
    for (const p of partitions) {
      const next = this.nextOf.get(p);
      if (next !== undefined) out.set(p, next);
    }
    return out;
  }

  /** Offsets committed: the partitions are durable up to there. */
  committed(offsets: ReadonlyMap<number, bigint>): void {
    for (const [p, o] of offsets) if (this.nextOf.has(p)) this.durableOf.set(p, o);
  }

  durable(partition: number): bigint | undefined {
    return this.durableOf.get(partition);
  }

  /** A partition moved to another member: its positions go with it. */
  forget(partition: number): void {
    this.nextOf.delete(partition);
    this.durableOf.delete(partition);
  }
}
