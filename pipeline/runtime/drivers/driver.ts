/**
 * What feeds the runner: a source of batches per partition, with positions that can be sought, paused
 * and committed. Three drivers: the Kafka consumer group (live `process`), a replay by offsets
 * (`backtest`: never joins the live group, never commits) and memory (unit tests of the runtime).
 */
import type { InputMessage } from '../message.js';

export interface DriverHandlers {
  /** One partition's messages, in offset order; the driver waits for a returned promise. */
  batch(partition: number, messages: readonly InputMessage[]): Promise<void> | void;
  /** This member's partitions, after every (re)assignment. */
  assigned(partitions: readonly number[]): void;
}

export interface Driver {
  /** Every partition of the topic, and the offset reading starts at when there is no checkpoint. */
  readonly starts: ReadonlyMap<number, bigint>;
  run(handlers: DriverHandlers): Promise<void>;
  seek(partition: number, offset: bigint): void;
  pause(partitions: readonly number[]): void;
  resume(partitions: readonly number[]): void;
  /** Step 3 of the commit protocol: the next offset to read, per partition. */
  commit(offsets: ReadonlyMap<number, bigint>): Promise<void>;
  /**
   * True once every partition was read to its end as far as the driver can tell: `next` gives the
   * runner's own positions (undefined for a partition it does not hold).
   */
  drained(next: (partition: number) => bigint | undefined): Promise<boolean>;
  /** Resolves when the driver knows no more input will come (a replay's ranges are read). */
  readonly ended?: Promise<void>;
  /** Settles when the driver stopped: rejects on a failure it cannot ride out. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}
