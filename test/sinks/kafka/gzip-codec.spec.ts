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

  it('inflates across many chunks (incompressible input) and rejects what is not gzip', async () => {
    const raw = randomBytes(3 * 1024 * 1024);
    const compressed = gzipSync(raw);
    expect(unzipChunkSize(compressed.length)).toBeLessThan(raw.length * 4 + 1);
    expect((await gzipCodec.decompress(compressed)).equals(raw)).toBe(true);
    await expect(gzipCodec.decompress(Buffer.from('not gzip'))).rejects.toThrow();
  });
});

describe('unzipChunkSize', () => {
  it('is about four times the batch, in 64 KiB steps from 64 KiB up to 8 MiB', () => {
    expect(unzipChunkSize(0)).toBe(64 * 1024);
    expect(unzipChunkSize(100)).toBe(64 * 1024);
    expect(unzipChunkSize(135_000)).toBe(9 * 64 * 1024);
    expect(unzipChunkSize(100 * 1024 * 1024)).toBe(8 * 1024 * 1024);
  });
});
