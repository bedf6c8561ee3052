/**
 * Text lines encoded as UTF-8 the moment they are added, into chunks of their own ArrayBuffers: a cut
 * hands the chunks over (a score thread transfers them, without a copy) and an insert sends them as
 * they are. Keeping a cut's lines as strings and joining them at the cut cost process.e2e's busiest
 * score thread more than formatting them did: 20,000 and more live strings per cut, flattened at once
 * and copied to the consuming thread, which then encoded them again.
 *
 * Chunks start at 64 KiB and double up to 4 MiB, so a quiet live flush stays small and a busy cut
 * takes a few chunks. Each chunk's ArrayBuffer holds that chunk only.
 */
const FIRST_CHUNK = 64 * 1024;
const LARGEST_CHUNK = 4 * 1024 * 1024;

export class Utf8Chunks {
  private chunks: Uint8Array[] = [];
  private buffer: Buffer | null = null;
  private start = 0;
  private used = 0;

  /** Appends `text` as UTF-8 (a lone surrogate becomes U+FFFD, as in any UTF-8 encoding). */
  add(text: string): void {
    // At most 3 bytes per UTF-16 unit.
    const room = text.length * 3;
    let buffer = this.buffer;
    if (buffer === null || buffer.length - this.used < room) buffer = this.grow(room);
    this.used += buffer.write(text, this.used);
  }

  /** Appends chunks encoded elsewhere (a score thread's), after what was added so far. */
  append(chunks: readonly Uint8Array[]): void {
    this.close();
    for (const c of chunks) if (c.byteLength > 0) this.chunks.push(c);
  }

  /** Everything added since the last take, in order; starts empty again (new buffers from here on). */
  take(): Uint8Array[] {
    this.close();
    const taken = this.chunks;
    this.chunks = [];
    this.buffer = null;
    this.start = 0;
    this.used = 0;
    return taken;
  }

  private close(): void {
    if (this.buffer !== null && this.used > this.start) {
      this.chunks.push(this.buffer.subarray(this.start, this.used));
      this.start = this.used;
    }
  }

  private grow(room: number): Buffer {
    this.close();
    const previous = this.buffer?.length ?? FIRST_CHUNK / 2;
    // Its own ArrayBuffer (never Node's shared pool), so it can be transferred alone.
    const buffer = Buffer.allocUnsafeSlow(Math.max(room, Math.min(previous * 2, LARGEST_CHUNK)));
    this.buffer = buffer;
    this.start = 0;
    this.used = 0;
    return buffer;
  }
}
