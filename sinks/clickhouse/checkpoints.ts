/**
 * Process checkpoints in ClickHouse: operator state plus the offsets it corresponds to. Saved before
 * the offsets are committed, loaded on start; the newest `seq` wins (ReplacingMergeTree(seq)).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { RejectedError } from '../../lib/errors.js';
import { toClickHouseError } from './client.js';
import { type InsertOptions, insertTsv } from './insert.js';
import { quoteString } from './sql.js';
import { tsvString } from './tsv.js';

export interface Checkpoint<State> {
  readonly seq: number;
  /** Next offset to read, per partition. */
  readonly offsets: Readonly<Record<string, string>>;
  readonly state: State;
  readonly savedAt: number;
}

export interface CheckpointKey {
  readonly url: string;
  readonly groupId: string;
  readonly topic: string;
}

export async function loadCheckpoint<State>(
  client: ClickHouseClient,
  { url, groupId, topic }: CheckpointKey,
): Promise<Checkpoint<State> | null> {
  let rows: { seq: string; offsets: string; state: string; saved_at: number }[];
  try {
    const result = await client.query({
      query: `SELECT seq, offsets, state, toUnixTimestamp(saved_at) AS saved_at FROM process_checkpoints FINAL
              WHERE group_id = ${quoteString(groupId)} AND topic = ${quoteString(topic)}`,
      format: 'JSONEachRow',
    });
    rows = await result.json();
  } catch (error) {
    throw toClickHouseError(error, `loading the checkpoint of ${groupId}`, url);
  }
  const row = rows[0];
  if (row === undefined) return null;
  try {
    return {
      seq: Number(row.seq),
      offsets: JSON.parse(row.offsets) as Record<string, string>,
      state: reviveNumbers(JSON.parse(row.state)) as State,
      savedAt: Number(row.saved_at) * 1000,
    };
  } catch (error) {
    throw new RejectedError(
      'clickhouse',
      `checkpoint of ${groupId} on ${topic} is corrupt (start afresh: DELETE it from process_checkpoints, or use another --group)`,
      error,
    );
  }
}

/**
 * The checkpoint row's columns in the order they are sent, `seq` last. A process killed while sending
 * the row leaves the server a body that just stops, and the server takes what it got: cut anywhere
 * before the end of `seq`, the row lacks columns and the INSERT fails; cut inside `seq`'s digits, it
 * is a complete checkpoint with a lower seq, which the newer row beside it outranks. Were `state` last,
 * a cut row would be stored with a half state and the newest seq (test/integration/checkpoint-cut).
 */
export const CHECKPOINT_COLUMNS = ['group_id', 'topic', 'saved_at', 'offsets', 'state', 'seq'] as const;

/** The checkpoint's TabSeparated row in pieces, the state JSON made piece by piece as it is taken. */
export function* checkpointRowPieces<State>(
  key: CheckpointKey,
  checkpoint: Omit<Checkpoint<State>, 'savedAt'>,
  onStateLength?: (length: number) => void,
): Generator<string> {
  yield [
    tsvString(key.groupId),
    tsvString(key.topic),
    String(Math.floor(Date.now() / 1000)),
    tsvString(JSON.stringify(checkpoint.offsets)),
    '',
  ].join('\t');
  let length = 0;
  for (const piece of jsonPieces(checkpoint.state, 4, 'binary')) {
    length += piece.length;
    yield tsvString(piece);
  }
  onStateLength?.(length);
  yield `\t${checkpoint.seq}\n`;
}

/**
 * Saves a checkpoint as one TabSeparated row whose state JSON is made piece by piece while the request
 * sends it: a state of a million dedupe ids (tens of MB) never exists as one string, let alone as the
 * JSON of a row holding that string and then the request body. Resolves with the length of that JSON.
 * `insert` carries the caller's logger and retry timing, so a checkpoint that waits out an outage says
 * so like every other insert.
 */
export async function saveCheckpoint<State>(
  client: ClickHouseClient,
  key: CheckpointKey,
  checkpoint: Omit<Checkpoint<State>, 'savedAt'>,
  insert: Omit<InsertOptions, 'url'> = {},
): Promise<number> {
  let length = 0;
  await insertTsv(
    client,
    'process_checkpoints',
    CHECKPOINT_COLUMNS,
    () =>
      checkpointRowPieces(key, checkpoint, (n) => {
        length = n;
      }),
    { ...insert, url: key.url },
  );
  return length;
}

/** Elements per piece of a long array: pieces stay small strings that die young. */
const ARRAY_PIECE = 2_048;

const isNumberView = (value: unknown): value is Float64Array =>
  ArrayBuffer.isView(value) && !(value instanceof DataView);

/** Typed arrays written as the JSON arrays of their numbers (JSON.stringify writes them as objects). */
const viewsAsArrays = (_key: string, value: unknown): unknown =>
  isNumberView(value) ? Array.from(value) : value;

/**
 * JSON.stringify(value), in pieces: plain objects down to `depth` levels are written key by key, long
 * arrays a few thousand elements at a time, the values below whole. Typed arrays are written as
 * arrays of their numbers, at any depth (score threads hand dedupe memories over in them).
 *
 * With `numbers: 'binary'`, a long array of finite numbers (plain or typed) is written instead as
 * {"$f64":"<base64 of its float64s, little-endian>"}, which {@link reviveNumbers} turns back into the
 * same array. Checkpoints write their dedupe memories so: a million ids and times as decimal JSON cost
 * the consuming thread seconds per checkpoint (about 18 bytes a number); as base64, 10.7 bytes a number
 * and no number formatting at all.
 */
export function* jsonPieces(
  value: unknown,
  depth: number,
  numbers: 'json' | 'binary' = 'json',
): Generator<string> {
  if (isNumberView(value) || (Array.isArray(value) && value.length > ARRAY_PIECE)) {
    const list = value as ArrayLike<unknown>;
    if (numbers === 'binary' && list.length > ARRAY_PIECE && allFinite(list)) {
      yield* binaryPieces(list as ArrayLike<number>);
      return;
    }
    if (list.length === 0) yield '[]';
    for (let at = 0; at < list.length; at += ARRAY_PIECE) {
      // Array.prototype.slice gives a plain array for a typed one too.
      const json = JSON.stringify(Array.prototype.slice.call(list, at, at + ARRAY_PIECE), viewsAsArrays);
      yield `${at === 0 ? '[' : ','}${json.slice(1, -1)}`;
    }
    if (list.length > 0) yield ']';
    return;
  }
  if (
    depth <= 0 ||
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    yield JSON.stringify(value, viewsAsArrays) ?? 'null';
    return;
  }
  let separator = '{';
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield `${separator}${JSON.stringify(name)}:`;
    separator = ',';
    yield* jsonPieces(v, depth - 1, numbers);
  }
  yield separator === '{' ? '{}' : '}';
}

const BINARY_KEY = '$f64';
/** Numbers per binary piece: a multiple of 3, so that the pieces' base64 joins into one (64 KiB each). */
const BINARY_PIECE = 6_144;

function allFinite(list: ArrayLike<unknown>): boolean {
  for (let i = 0; i < list.length; i++) {
    // JSON writes NaN and the infinities as null; such arrays keep the JSON form.
    if (typeof list[i] !== 'number' || !Number.isFinite(list[i])) return false;
  }
  return true;
}

function* binaryPieces(list: ArrayLike<number>): Generator<string> {
  const bytes = new ArrayBuffer(BINARY_PIECE * 8);
  const view = new DataView(bytes);
  yield `{"${BINARY_KEY}":"`;
  for (let at = 0; at < list.length; at += BINARY_PIECE) {
    const n = Math.min(BINARY_PIECE, list.length - at);
    for (let i = 0; i < n; i++) view.setFloat64(i * 8, list[at + i] as number, true);
    yield Buffer.from(bytes, 0, n * 8).toString('base64');
  }
  yield '"}';
}

/**
 * A parsed checkpoint state with every {"$f64": ...} of jsonPieces(…, 'binary') back as the plain
 * array of numbers it was written from; anything else as it is (older checkpoints hold the arrays
 * as JSON). Throws on a binary field whose length is not whole numbers.
 */
export function reviveNumbers(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] === 'object') value[i] = reviveNumbers(value[i]);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const encoded = record[BINARY_KEY];
  if (keys.length === 1 && typeof encoded === 'string') return decodeNumbers(encoded);
  for (const key of keys) record[key] = reviveNumbers(record[key]);
  return record;
}

function decodeNumbers(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 8 !== 0) throw new Error(`a binary number array of ${bytes.length} bytes is cut short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Array<number>(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}
