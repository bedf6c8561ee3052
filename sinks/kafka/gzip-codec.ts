/**
 * The gzip codec kafkajs compresses and decompresses record batches with (kafkajs.ts registers it): the
 * same bytes as kafkajs' own codec (zlib's gzip in, zlib's unzip out; the format on Kafka is unchanged),
 * but a batch is inflated into one buffer of its size rather than zlib's default 16 KiB chunks joined.
 * - zlib hands over each full chunk with a callback on the consuming thread and copies the chunks into
 *   the result at the end. A 135 KB batch of tweets.raw (1,667 envelopes, ~1 MB inflated) took 64
 *   chunks; sized at four times the batch, two: 119 such batches, 0.41 s -> 0.21 s of CPU.
 * - A gzip member ends with its inflated size (ISIZE, RFC 1952), so the chunk can be exactly that: one
 *   chunk, handed over as the result without the copy, half the bytes allocated. 61 batches of ~260 KiB
 *   (200,000 envelopes as ingest writes them; Node 26, alternating, 6 rounds): CPU 417-603 ms -> 269-440
 *   ms. Those bytes are what set off most garbage collections of the consuming thread (V8 collects when
 *   Buffers it did not count yet add up), so fewer of them means fewer collections too.
 * Memory: a batch takes its inflated size, or up to 8 MiB per chunk when the trailer cannot be read.
 */
import { promisify } from 'node:util';
import { gzip, unzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const unzipAsync = promisify(unzip);

const STEP = 64 * 1024;
const MAX_CHUNK = 8 * 1024 * 1024;
/** Deflate inflates at most ~1,032 times: a trailer claiming more is damaged (zlib will reject it). */
const MAX_RATIO = 1032;

/**
 * Output chunk for a compressed batch: its inflated size from the gzip trailer, one byte more so the
 * stream ends inside the chunk; without a readable trailer (not gzip, or a size deflate cannot reach),
 * about four times the batch (text inflates 5-10x). 64 bytes (zlib's least) to 8 MiB.
 */
export function unzipChunkSize(compressed: Uint8Array): number {
  const n = compressed.length;
  const gzipped = n >= 18 && compressed[0] === 0x1f && compressed[1] === 0x8b;
  // ISIZE: the last four bytes, little-endian.
  const view = new DataView(compressed.buffer, compressed.byteOffset, n);
  const inflated = gzipped ? view.getUint32(n - 4, true) : -1;
  const size = inflated >= 0 && inflated <= n * MAX_RATIO ? inflated + 1 : Math.ceil((n * 4) / STEP) * STEP;
  return Math.min(MAX_CHUNK, Math.max(64, size));
}

/** kafkajs' codec interface: compress gets the record encoder, decompress the batch's records. */
export const gzipCodec = {
  compress: (encoder: { readonly buffer: Buffer }): Promise<Buffer> => gzipAsync(encoder.buffer),
  decompress: (buffer: Buffer): Promise<Buffer> => unzipAsync(buffer, { chunkSize: unzipChunkSize(buffer) }),
};
