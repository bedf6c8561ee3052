import { describe, expect, it } from 'vitest';
import type { RawMessage } from '../../../../pipeline/runtime/threads/raw-frames.js';
import { type Frame, FrameWriter, readFrame } from '../../../../pipeline/runtime/threads/raw-frames.js';

const message = (i: number, value: string | null): RawMessage => ({
  partition: i % 3,
  offset: String(1_000_000_000 + i),
  value: value === null ? null : Buffer.from(value),
  timestamp: Date.UTC(2024, 0, 1) + i * 1_000,
});

function unpack(frames: readonly Frame[]) {
  const out: { partition: number; offset: string; value: string | null; timestamp: number }[] = [];
  for (const f of frames) {
    readFrame(f, (partition, offset, value, timestamp) =>
      out.push({
        partition,
        offset,
        value: value === null ? null : Buffer.from(value).toString(),
        timestamp,
      }),
    );
  }
  return out;
}

describe('replay frames', () => {
  it('hands over partition, offset, value (null included) and timestamp unchanged, in order', () => {
    const writer = new FrameWriter(256);
    const frames: Frame[] = [];
    const input = Array.from({ length: 40 }, (_, i) =>
      message(i, i % 7 === 0 ? null : `{"n":${i},"t":"héllo"}`),
    );
    for (const m of input) {
      const full = writer.add(m);
      if (full) frames.push(full);
    }
    frames.push(writer.take()!);
    expect(frames.length).toBeGreaterThan(3);
    expect(unpack(frames)).toEqual(
      input.map((m) => ({
        partition: m.partition,
        offset: m.offset,
        value: m.value === null ? null : Buffer.from(m.value).toString(),
        timestamp: m.timestamp,
      })),
    );
  });

  it('carries a value larger than a frame in a frame of its own', () => {
    const writer = new FrameWriter(64);
    const big = 'x'.repeat(1_000);
    const first = writer.add(message(1, 'small'));
    const flushed = writer.add(message(2, big));
    expect(first).toBeNull();
    expect(flushed?.count).toBe(1);
    expect(unpack([flushed!, writer.take()!]).map((m) => m.value)).toEqual(['small', big]);
  });

  it('has nothing to take when empty', () => {
    expect(new FrameWriter().take()).toBeNull();
  });
});
