import { describe, expect, it } from 'vitest';
import { IngestBuffer } from '../../../pipeline/ingest/ingest-buffer.js';
import type { Routed } from '../../../pipeline/ingest/messages.js';

const item = (n: number, bytes = 100, topic = 'raw'): Routed => ({
  topic,
  bytes,
  message: { key: String(n), value: String(n) },
});
const isBarrier = (r: Routed): boolean => r.topic === 'state';
const keys = (batch: readonly Routed[]) => batch.map((r) => r.message.key);

describe('IngestBuffer', () => {
  it('takes batches bounded by count and bytes, in order', () => {
    const buffer = new IngestBuffer(1_000_000);
    for (let n = 1; n <= 10; n++) buffer.push(item(n));
    expect(keys(buffer.take(3, 10_000, isBarrier))).toEqual(['1', '2', '3']);
    expect(keys(buffer.take(100, 250, isBarrier))).toEqual(['4', '5']);
    expect(buffer.waiting).toBe(5);
  });

  it('always takes at least one item, even one larger than the byte bound', () => {
    const buffer = new IngestBuffer(1_000_000);
    buffer.push(item(1, 5000));
    expect(keys(buffer.take(10, 100, isBarrier))).toEqual(['1']);
  });

  it('sends a barrier alone', () => {
    const buffer = new IngestBuffer(1_000_000);
    buffer.push(item(1));
    buffer.push(item(2, 10, 'state'));
    buffer.push(item(3));
    expect(keys(buffer.take(10, 10_000, isBarrier))).toEqual(['1']);
    expect(keys(buffer.take(10, 10_000, isBarrier))).toEqual(['2']);
    expect(keys(buffer.take(10, 10_000, isBarrier))).toEqual(['3']);
  });

  it('holds sources back at the high-water mark until acknowledgements bring it under half', async () => {
    const buffer = new IngestBuffer(1000);
    for (let n = 1; n <= 9; n++) buffer.push(item(n));
    expect(buffer.demand.ready()).toBeUndefined();
    buffer.push(item(10));
    const waiting = buffer.demand.ready();
    expect(waiting).toBeInstanceOf(Promise);
    let released = false;
    void waiting?.then(() => {
      released = true;
    });
    buffer.acknowledge(buffer.take(5, 10_000, isBarrier)); // 500 bytes left: not under half
    await Promise.resolve();
    expect(released).toBe(false);
    buffer.acknowledge(buffer.take(1, 10_000, isBarrier)); // 400 bytes left
    await Promise.resolve();
    expect(released).toBe(true);
  });

  it('stops holding back once opened', () => {
    const buffer = new IngestBuffer(10);
    buffer.push(item(1));
    expect(buffer.demand.ready()).toBeInstanceOf(Promise);
    buffer.open();
    expect(buffer.demand.ready()).toBeUndefined();
  });
});
