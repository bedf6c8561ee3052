import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../pipeline/sources/synthetic-random.js';
import { RECORD_DECODER_INSTALLED } from '../../../sinks/kafka/kafkajs.js';
import { decodeRecord, type KafkaDecoder, kafkajsDecodeRecord } from '../../../sinks/kafka/record-decoder.js';

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => KafkaDecoder;
const Long = require('kafkajs/src/utils/long.js') as { fromValue(value: bigint | number | string): unknown };
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: {
  offsetDelta: number;
  timestampDelta: unknown;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[]>;
}) => { buffer: Buffer };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch(batch: Record<string, unknown>): Promise<{ buffer: Buffer }>;
};
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: KafkaDecoder,
) => Promise<{ records: unknown[] }>;
const { LOG_APPEND_TIME, CREATE_TIME } = require('kafkajs/src/protocol/timestampTypes.js') as Record<
  string,
  number
>;

const HEADER_NAMES = ['source', 'ingested_at', 'x', '', 'ünïcode', 'constructor', '__proto__', 'toString'];
const BIG = [
  0n,
  1n,
  -1n,
  2n ** 31n,
  2n ** 48n,
  2n ** 49n - 1n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 62n,
  -(2n ** 62n),
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function fuzzRecord(next: () => number): Parameters<typeof encodeRecord>[0] {
  const headers: Record<string, Buffer | string | (Buffer | string)[]> = {};
  const count = Math.floor(next() * 4);
  for (let i = 0; i < count; i++) {
    const name = pick(next, HEADER_NAMES);
    const value = next() < 0.5 ? `v${i}` : Buffer.from([i, 255]);
    // defineProperty, so that a header named __proto__ is a header and not the object's prototype.
    Object.defineProperty(headers, name, {
      value: next() < 0.2 ? [value, `again${i}`, ...(next() < 0.5 ? [`third${i}`] : [])] : value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  const small = Math.floor((next() - 0.5) * 2 ** 20);
  return {
    offsetDelta: next() < 0.1 ? -Math.floor(next() * 100) : Math.floor(next() * 100_000),
    timestampDelta: Long.fromValue(
      next() < 0.7 ? BigInt(small) : pick(next, BIG) * (next() < 0.5 ? 1n : -1n),
    ),
    key: next() < 0.2 ? null : Buffer.from(`post-${Math.floor(next() * 1000)}`),
    value: next() < 0.1 ? null : Buffer.from(JSON.stringify({ text: 'é'.repeat(Math.floor(next() * 50)) })),
    headers,
  };
}

function decodeBoth(bytes: Buffer, context: Record<string, unknown>) {
  const ours = new Decoder(bytes);
  const theirs = new Decoder(bytes);
  return {
    ours: decodeRecord(ours, context),
    theirs: kafkajsDecodeRecord(theirs, context),
    oursAt: ours.offset,
    theirsAt: theirs.offset,
  };
}

describe('the record decoder kafkajs fetches with', () => {
  it('is the one kafkajs decodes fetched batches with', () => {
    expect(RECORD_DECODER_INSTALLED).toBe(true);
    expect(require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js')).toBe(decodeRecord);
  });

  it('decodes every record exactly as kafkajs does, including the cases it hands back to kafkajs', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const next = createRandom(seed);
      const { buffer } = encodeRecord(fuzzRecord(next));
      const bytes = buffer.subarray(sizeOfLength(buffer));
      const context = {
        firstOffset: String(next() < 0.8 ? BigInt(Math.floor(next() * 1e9)) : pick(next, BIG)),
        firstTimestamp: String(
          next() < 0.8 ? BigInt(1_700_000_000_000 + Math.floor(next() * 1e9)) : pick(next, BIG),
        ),
        maxTimestamp: next() < 0.5 ? '1700000999999' : undefined,
        timestampType: next() < 0.3 ? LOG_APPEND_TIME : CREATE_TIME,
        magicByte: 2,
        isControlBatch: next() < 0.1,
      };
      const { ours, theirs, oursAt, theirsAt } = decodeBoth(bytes, context);
      expect(ours, `seed ${seed}`).toEqual(theirs);
      expect(Object.keys(ours.headers), `seed ${seed}`).toEqual(Object.keys(theirs.headers));
      expect(oursAt, `seed ${seed}`).toBe(theirsAt);
    }
  });

  it('reads a malformed length (below -1) as kafkajs does', () => {
    // attributes, timestamp delta 0, offset delta 0, then a key length of -2 (zigzag 3) and some bytes.
    const bytes = Buffer.from([0, 0, 0, 3, 2, 0x61, 2, 0x62, 0]);
    const outcome = (decode: typeof decodeRecord) => {
      try {
        return { record: decode(new Decoder(bytes), { firstOffset: '0', firstTimestamp: '0' }) };
      } catch (error) {
        return { error: String(error) };
      }
    };
    expect(outcome(decodeRecord)).toEqual(outcome(kafkajsDecodeRecord));
  });

  it("gives the consumer a batch's records with kafkajs' offsets, times, keys and headers", async () => {
    const t0 = 1_765_000_000_000;
    const records = Array.from({ length: 50 }, (_, i) =>
      encodeRecord({
        offsetDelta: i,
        timestampDelta: Long.fromValue(i * 1000),
        key: Buffer.from(`k${i % 7}`),
        value: Buffer.from(`{"i":${i}}`),
        headers: { source: 'x', ingested_at: String(t0 + i) },
      }),
    );
    const batch = await RecordBatch({
      firstOffset: Long.fromValue(4_200_000_000n),
      firstTimestamp: t0,
      maxTimestamp: t0 + 49_000,
      lastOffsetDelta: 49,
      records,
    });
    const decoded = (await decodeBatch(new Decoder(batch.buffer))) as {
      records: {
        offset: string;
        timestamp: string;
        key: Buffer;
        value: Buffer;
        headers: Record<string, Buffer>;
      }[];
    };
    expect(decoded.records).toHaveLength(50);
    const last = decoded.records[49];
    expect(last?.offset).toBe('4200000049');
    expect(last?.timestamp).toBe(String(t0 + 49_000));
    expect(last?.key.toString()).toBe('k0');
    expect(last?.value.toString()).toBe('{"i":49}');
    expect(last?.headers.ingested_at?.toString()).toBe(String(t0 + 49));
  });
});

/** Bytes of the record's leading length varint (the batch decoder reads it before the record decoder). */
function sizeOfLength(buffer: Buffer): number {
  let size = 0;
  while ((buffer[size] as number) >= 0x80) size++;
  return size + 1;
}
