/**
 * tweets.raw messages packed into one transferable buffer, so the consuming thread hands thousands of
 * them to a score thread with one postMessage and no copy, and gets the buffer back to fill again.
 * Per message: partition u32, value length i32 (-1 = null), offset f64, timestamp f64, then the value
 * bytes.
 */

export interface RawMessage {
  readonly partition: number;
  readonly offset: string;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

const HEADER = 24;

export interface Frame {
  readonly buffer: ArrayBuffer;
  readonly used: number;
  readonly count: number;
}

export class FrameWriter {
  private buffer: ArrayBuffer;
  private view: DataView;
  private bytes: Uint8Array;
  private used = 0;
  private count = 0;
  /** Buffers of frames the reader is done with, reused instead of allocating (and zeroing) new ones. */
  private readonly spare: ArrayBuffer[] = [];

  constructor(private readonly size = 1 << 20) {
    this.buffer = new ArrayBuffer(size);
    this.view = new DataView(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
  }

  get pending(): number {
    return this.count;
  }

  /** Adds a message; returns a full frame to send first when this one did not fit. */
  add(message: RawMessage): Frame | null {
    const length = message.value === null ? 0 : message.value.length;
    let full: Frame | null = null;
    if (this.used + HEADER + length > this.buffer.byteLength) {
      full = this.take();
      if (HEADER + length > this.buffer.byteLength) this.reset(HEADER + length);
    }
    const at = this.used;
    this.view.setUint32(at, message.partition);
    this.view.setInt32(at + 4, message.value === null ? -1 : length);
    this.view.setFloat64(at + 8, Number(message.offset));
    this.view.setFloat64(at + 16, message.timestamp);
    if (message.value !== null) this.bytes.set(message.value, at + HEADER);
    this.used = at + HEADER + length;
    this.count++;
    return full;
  }

  /** The frame so far (null when empty); the writer starts a fresh buffer. */
  take(): Frame | null {
    if (this.count === 0) return null;
    const frame = { buffer: this.buffer, used: this.used, count: this.count };
    this.reset(this.size);
    return frame;
  }

  /** Takes back the buffer of a frame that was read; the writer fills it again later. */
  recycle(buffer: ArrayBuffer): void {
    if (buffer.byteLength === this.size && this.spare.length < 16) this.spare.push(buffer);
  }

  private reset(size: number): void {
    this.buffer =
      (size <= this.size ? this.spare.pop() : undefined) ?? new ArrayBuffer(Math.max(size, this.size));
    this.view = new DataView(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
    this.used = 0;
    this.count = 0;
  }
}

/** Calls `each` for every message of a frame, values as views into the frame's buffer. */
export function readFrame(
  frame: Frame,
  each: (partition: number, offset: string, value: Uint8Array | null, timestamp: number) => void,
): void {
  const view = new DataView(frame.buffer, 0, frame.used);
  let at = 0;
  for (let i = 0; i < frame.count; i++) {
    const partition = view.getUint32(at);
    const length = view.getInt32(at + 4);
    const offset = view.getFloat64(at + 8);
    const timestamp = view.getFloat64(at + 16);
    const value = length < 0 ? null : new Uint8Array(frame.buffer, at + HEADER, length);
    each(partition, String(offset), value, timestamp);
    at += HEADER + Math.max(0, length);
  }
}
