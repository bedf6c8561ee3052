/**
 * The ingest runner's bounded buffer: routed messages waiting for Kafka, in arrival order. Its `demand`
 * is the back-pressure handed to sources: not ready at or above `highWaterBytes`, ready again once
 * acknowledged batches bring it under half of that. Batches are taken from the front; a barrier item
 * (a checkpoint) always travels alone.
 */
import type { Demand } from '../sources/types.js';
import type { Routed } from './messages.js';

export class IngestBuffer {
  private queue: Routed[] = [];
  private head = 0;
  private bytes = 0;
  private opened = false;
  private demandWaiters: (() => void)[] = [];
  private itemWaiter: (() => void) | null = null;

  readonly demand: Demand = {
    ready: () =>
      this.bytes < this.highWaterBytes || this.opened
        ? undefined
        : new Promise<void>((resolve) => this.demandWaiters.push(resolve)),
  };

  constructor(private readonly highWaterBytes: number) {}

  /** Items not yet taken for sending. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  push(item: Routed): void {
    this.queue.push(item);
    this.bytes += item.bytes;
    this.wake();
  }

  /** The next batch: up to `maxMessages` items and `maxBytes` (at least one item), stopping at barriers. */
  take(maxMessages: number, maxBytes: number, isBarrier: (item: Routed) => boolean): Routed[] {
    const batch: Routed[] = [];
    let size = 0;
    while (this.head < this.queue.length && batch.length < maxMessages) {
      const next = this.queue[this.head]!;
      if (batch.length > 0 && (isBarrier(next) || size + next.bytes > maxBytes)) break;
      batch.push(next);
      size += next.bytes;
      this.head += 1;
      if (isBarrier(next)) break;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  /** The front item, if any, without taking it. */
  peek(): Routed | undefined {
    return this.queue[this.head];
  }

  /** Forgets an acknowledged batch; lets sources read again once under half the high-water mark. */
  acknowledge(batch: readonly Routed[]): void {
    for (const item of batch) this.bytes -= item.bytes;
    if (this.bytes < this.highWaterBytes / 2) this.releaseDemand();
  }

  /** Stops holding sources back (used on stop, so a waiting source can notice it was unsubscribed). */
  open(): void {
    this.opened = true;
    this.releaseDemand();
  }

  /** Resolves when an item arrives or `wake()` is called. */
  whenItems(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.itemWaiter = resolve;
    });
  }

  wake(): void {
    const resolve = this.itemWaiter;
    this.itemWaiter = null;
    resolve?.();
  }

  private releaseDemand(): void {
    const waiters = this.demandWaiters;
    this.demandWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
