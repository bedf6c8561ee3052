import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { gunzipSync, gzipSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { gzipCodec, unzipChunkSize } from '../../../sinks/kafka/gzip-codec.js';
import { CompressionTypes } from '../../../sinks/kafka/kafkajs.js';

// kafkajs' own codec, to compare bytes with.
const kafkajsGzip = createRequire(import.meta.url)('kafkajs/src/protocol/message/compression/gzip.js') as {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
};

const envelopes = (n: number): Buffer =>
  Buffer.from(
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ data: { id: String(1e18 + i), text: `$BTC to the moon 🚀 #${i}`, lang: 'en' } }),
    ).join(''),
  );

describe('gzipCodec', () => {
  it('is the codec every kafkajs client uses for GZIP once kafkajs.ts is loaded', () => {
    expect(kafkajs.CompressionCodecs[CompressionTypes.GZIP]()).toBe(gzipCodec);
  });

  it('compresses to the bytes kafkajs writes', async () => {
    const records = envelopes(500);
    const ours = await gzipCodec.compress({ buffer: records });
    expect(ours.equals(await kafkajsGzip.compress({ buffer: records }))).toBe(true);
    expect(gunzipSync(ours).equals(records)).toBe(true);
  });

  it.each([0, 1, 40, 20_000])('inflates a batch of %i envelopes to what kafkajs inflates', async (n) => {
    const compressed = gzipSync(envelopes(n));
    const ours = await gzipCodec.decompress(compressed);
    expect(ours.equals(await kafkajsGzip.decompress(compressed))).toBe(true);
  });

  it('inflates a batch into one buffer of its size, from the gzip trailer: no chunks to join', async () => {
    const raw = envelopes(20_000);
    const ours = await gzipCodec.decompress(gzipSync(raw));
    expect(ours.equals(raw)).toBe(true);
    // Joined chunks would be a buffer of exactly raw.length; the one sized chunk has its spare byte.
    expect(ours.buffer.byteLength).toBe(raw.length + 1);
  });

  it('inflates across many chunks (larger than a chunk may be) and rejects what is not gzip', async () => {
    const raw = randomBytes(9 * 1024 * 1024);
    const compressed = gzipSync(raw);
    expect(unzipChunkSize(compressed)).toBe(8 * 1024 * 1024);
    expect((await gzipCodec.decompress(compressed)).equals(raw)).toBe(true);
    await expect(gzipCodec.decompress(Buffer.from('not gzip'))).rejects.toThrow();
  });

  it('rejects a batch whose trailer lies about its size, as kafkajs does', async () => {
    const compressed = gzipSync(envelopes(100));
    compressed.writeUInt32LE(10, compressed.length - 4);
    await expect(gzipCodec.decompress(compressed)).rejects.toThrow();
    await expect(kafkajsGzip.decompress(compressed)).rejects.toThrow();
  });
});

describe('unzipChunkSize', () => {
  const gzipOf = (n: number): Buffer => gzipSync(Buffer.alloc(n, 'a'));

  it('is the inflated size the gzip trailer gives, plus one byte, up to 8 MiB', () => {
    expect(unzipChunkSize(gzipOf(0))).toBe(64);
    expect(unzipChunkSize(gzipOf(1_000))).toBe(1_001);
    expect(unzipChunkSize(gzipOf(3_000_000))).toBe(3_000_001);
    expect(unzipChunkSize(gzipOf(20_000_000))).toBe(8 * 1024 * 1024);
  });

  it('reads the trailer of a batch that is a view into a larger buffer', () => {
    const batch = gzipOf(5_000);
    const response = Buffer.concat([Buffer.alloc(7, 9), batch, Buffer.alloc(5, 9)]);
    expect(unzipChunkSize(response.subarray(7, 7 + batch.length))).toBe(5_001);
  });

  it('is about four times the batch, in 64 KiB steps, without a size deflate could reach', () => {
    const lying = gzipOf(1_000);
    lying.writeUInt32LE(0xffff_ffff, lying.length - 4);
    expect(unzipChunkSize(lying)).toBe(64 * 1024);
    expect(unzipChunkSize(Buffer.alloc(135_000))).toBe(9 * 64 * 1024);
    expect(unzipChunkSize(Buffer.alloc(100))).toBe(64 * 1024);
    expect(unzipChunkSize(Buffer.alloc(0))).toBe(64);
  });
});
