// kafkajs decodes every record it fetches through one function, and that function spends most of a
// record's decode time on BigInt arithmetic: the timestamp delta is a varlong that kafkajs builds out of
// one BigInt per byte, and the record's offset and timestamp are each parsed from the batch's base as a
// string, added and printed again. This is the same decoder for the values we meet (offsets and times
// within 2^53, header names that are not Object.prototype properties), in plain numbers; anything else
// goes to kafkajs' own. Same record object, same fields, same strings and Buffers: the consumer, our
// handlers and test/sinks/kafka/record-decoder.spec.ts cannot tell them apart.
import { createRequire } from 'node:module';

/** kafkajs' protocol decoder: a Buffer, a read position, and the reads we leave to it. */
export interface KafkaDecoder {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarIntBytes(): Buffer | null;
  readVarIntString(): string | null;
}

interface BatchContext {
  readonly firstOffset?: string;
  readonly firstTimestamp?: string;
  readonly magicByte?: number;
  readonly isControlBatch?: boolean;
  readonly timestampType?: number;
  readonly maxTimestamp?: string;
}

export interface DecodedRecord {
  readonly magicByte: number | undefined;
  readonly attributes: number;
  readonly timestamp: string | undefined;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | null | (Buffer | null)[]>;
  readonly isControlRecord: boolean;
  readonly batchContext: BatchContext;
}

type RecordDecoder = (decoder: KafkaDecoder, batchContext?: BatchContext) => DecodedRecord;

const require = createRequire(import.meta.url);
const RECORD_DECODER = 'kafkajs/src/protocol/recordBatch/record/v0/decoder.js';
const BATCH_DECODER = 'kafkajs/src/protocol/recordBatch/v0/decoder.js';
const LOG_APPEND_TIME = (require('kafkajs/src/protocol/timestampTypes.js') as { LOG_APPEND_TIME: number })
  .LOG_APPEND_TIME;
/** kafkajs' own decoder, for records outside the fast path and for the tests to compare against. */
export const kafkajsDecodeRecord = require(RECORD_DECODER) as RecordDecoder;

/** A zigzag varlong of at most 7 bytes (49 bits) as a number; undefined (position unchanged) if longer. */
function readSmallVarLong(decoder: KafkaDecoder): number | undefined {
  const { buffer } = decoder;
  let at = decoder.offset;
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    const byte = buffer[at++] as number;
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      decoder.offset = at;
      return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
    scale *= 128;
  }
  return undefined;
}

/** The name last read at each header position, and its bytes: a topic's records repeat a few names. */
const lastNames: { readonly bytes: Uint8Array; readonly name: string }[] = [];
const MAX_CACHED_NAME = 64;
const MAX_CACHED_POSITIONS = 8;

/**
 * A header's name, as kafkajs reads it (a null name, length -1, is the property "null"); the same
 * string again when its bytes are those of the name last read at this position, instead of decoding
 * one more. tweets.raw carries two a message: decoding a record as ingest writes it took 1.11-1.35 µs,
 * now 0.62-0.97 (Node 26, 50,000 records, alternating), ~0.45 s of the consuming thread per million.
 */
function headerName(decoder: KafkaDecoder, position: number): string {
  const start = decoder.offset;
  const length = decoder.readVarInt();
  const { buffer } = decoder;
  const at = decoder.offset;
  const last = lastNames[position];
  if (last !== undefined && length === last.bytes.length && at + length <= buffer.length) {
    let same = true;
    for (let i = 0; i < length && same; i++) same = buffer[at + i] === last.bytes[i];
    if (same) {
      decoder.offset = at + length;
      return last.name;
    }
  }
  decoder.offset = start;
  const name = String(decoder.readVarIntString());
  if (
    position < MAX_CACHED_POSITIONS &&
    length >= 0 &&
    length <= MAX_CACHED_NAME &&
    at + length <= buffer.length
  ) {
    // A copy: a view would keep the whole fetched response alive.
    lastNames[position] = { bytes: new Uint8Array(buffer.subarray(at, at + length)), name };
  }
  return name;
}

// Every record of a batch shares its context: parse the batch's base offset and time once.
let lastContext: BatchContext | undefined;
let baseOffset = Number.NaN;
let baseTimestamp = Number.NaN;

/** `base + delta` printed as kafkajs' Long would print it, or undefined when a number cannot be exact. */
function plus(base: number, delta: number): string | undefined {
  const sum = base + delta;
  return Number.isSafeInteger(base) && Number.isSafeInteger(sum) ? String(sum) : undefined;
}

/** The record that starts at `start`, decoded by kafkajs. */
function theirs(decoder: KafkaDecoder, start: number, batchContext: BatchContext): DecodedRecord {
  decoder.offset = start;
  return kafkajsDecodeRecord(decoder, batchContext);
}

export const decodeRecord: RecordDecoder = (decoder, batchContext = {}) => {
  const start = decoder.offset;
  if (batchContext !== lastContext) {
    lastContext = batchContext;
    baseOffset = Number(batchContext.firstOffset);
    baseTimestamp = Number(batchContext.firstTimestamp);
  }
  const { magicByte, isControlBatch = false, timestampType, maxTimestamp } = batchContext;
  const attributes = decoder.readInt8();
  const timestampDelta = readSmallVarLong(decoder);
  if (timestampDelta === undefined) return theirs(decoder, start, batchContext);
  const timestamp =
    timestampType === LOG_APPEND_TIME && maxTimestamp ? maxTimestamp : plus(baseTimestamp, timestampDelta);
  const offset = plus(baseOffset, decoder.readVarInt());
  if (timestamp === undefined || offset === undefined) return theirs(decoder, start, batchContext);
  // Keys, values and headers are read by kafkajs' own methods, malformed lengths included.
  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
  const count = decoder.readVarInt();
  // -1 is no headers; kafkajs fails on a count below it (an array of negative length).
  if (count < -1) return theirs(decoder, start, batchContext);
  for (let i = 0; i < count; i++) {
    const name = headerName(decoder, i);
    const headerValue = decoder.readVarIntBytes();
    // kafkajs tests `obj[name] === undefined`, which an inherited name (constructor, __proto__) fails.
    if (name in Object.prototype) return theirs(decoder, start, batchContext);
    const previous = headers[name];
    headers[name] =
      previous === undefined
        ? headerValue
        : Array.isArray(previous)
          ? previous.concat([headerValue])
          : [previous, headerValue];
  }
  return {
    magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: isControlBatch,
    batchContext,
  };
};

/**
 * Puts decodeRecord where kafkajs' record-batch decoder requires its record decoder from. kafkajs loads
 * that batch decoder at the first fetch and keeps what it required then, so this refuses (false) once it
 * is loaded with kafkajs' own. kafkajs.ts calls it as it loads kafkajs. Returns whether kafkajs decodes
 * with decodeRecord.
 */
export function installRecordDecoder(): boolean {
  const record = require.cache[require.resolve(RECORD_DECODER)];
  if (record === undefined) return false;
  if (record.exports === decodeRecord) return true;
  if (require.cache[require.resolve(BATCH_DECODER)] !== undefined) return false;
  record.exports = decodeRecord;
  return true;
}
