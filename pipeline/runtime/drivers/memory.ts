/**
 * A driver over messages held in memory, for unit tests of the runtime (as Kafka Streams tests through
 * its TopologyTestDriver): partitions as arrays (a message's offset is its index), a committed offset
 * per partition that outlives a runtime (pass the same `committed` to the next run, as a restarted
 * process finds its group's offsets), batches of `batchSize`, pause, resume and seek as Kafka does them.
 */
import type { InputMessage } from '../message.js';
import type { Driver } from './driver.js';

export interface MemoryDriverOptions {
  /** Per partition, its messages in offset order (offset = index). */
  readonly partitions: readonly (readonly InputMessage[])[];
  /** The group's committed offsets, kept across runs; updated by commit(). */
  readonly committed?: Map<number, bigint>;
  /** Messages per batch (default 100). */
  readonly batchSize?: number;
  /** Called before each commit: throw to make the commit fail. */
  readonly beforeCommit?: (offsets: ReadonlyMap<number, bigint>) => void;
}

/** Messages for a memory partition: offsets are their indices. */
export function memoryPartition(
  partition: number,
  values: readonly { readonly value: Uint8Array | string | null; readonly timestamp: number }[],
): InputMessage[] {
  return values.map((v, i) => ({
    partition,
    offset: String(i),
    value: typeof v.value === 'string' ? Buffer.from(v.value) : v.value,
    timestamp: v.timestamp,
  }));
}

export function createMemoryDriver(options: MemoryDriverOptions): Driver {
  const { partitions } = options;
  const committed = options.committed ?? new Map<number, bigint>();
  const batchSize = options.batchSize ?? 100;
  const position = new Map(partitions.map((_, p) => [p, committed.get(p) ?? 0n] as const));
  const paused = new Set<number>();
  let stopped = false;
  let wake: (() => void) | null = null;
  const nudge = (): void => {
    wake?.();
    wake = null;
  };
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => undefined);
  let turn = 0;
  const nextBatch = (): { partition: number; messages: InputMessage[] } | null => {
    for (let i = 0; i < partitions.length; i++) {
      const p = (turn + i) % partitions.length;
      const at = Number(position.get(p) ?? 0n);
      if (paused.has(p) || at >= partitions[p]!.length) continue;
      turn = p + 1;
      return { partition: p, messages: partitions[p]!.slice(at, at + batchSize) };
    }
    return null;
  };
  return {
    starts: new Map(partitions.map((_, p) => [p, 0n] as const)),
    async run(handlers) {
      handlers.assigned(partitions.map((_, p) => p));
      void (async () => {
        while (!stopped) {
          const batch = nextBatch();
          if (batch === null) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            continue;
          }
          const last = batch.messages[batch.messages.length - 1]!;
          position.set(batch.partition, BigInt(last.offset) + 1n);
          try {
            await handlers.batch(batch.partition, batch.messages);
          } catch (error) {
            settle.reject(error);
            return;
          }
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      })();
    },
    seek(partition, offset) {
      position.set(partition, offset);
      nudge();
    },
    pause(list) {
      for (const p of list) paused.add(p);
    },
    resume(list) {
      for (const p of list) paused.delete(p);
      nudge();
    },
    async commit(offsets) {
      options.beforeCommit?.(offsets);
      for (const [p, o] of offsets) committed.set(p, o);
    },
    drained(next) {
      return Promise.resolve(
        partitions.every((messages, p) => (next(p) ?? committed.get(p) ?? 0n) >= BigInt(messages.length)),
      );
    },
    done,
    async stop() {
      stopped = true;
      nudge();
      settle.resolve();
    },
  };
}
