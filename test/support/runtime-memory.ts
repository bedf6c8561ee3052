/**
 * In-memory stand-ins for what the runtime writes to, for its unit tests: tables that replace rows by
 * their ReplacingMergeTree keys (as ClickHouse's FINAL shows them), topics deduplicated by message key,
 * and a checkpoint store that keeps the newest seq per key and round-trips states through the same
 * JSON the ClickHouse store writes (binary number arrays included).
 */
import type { Checkpoint, CheckpointStore } from '../../pipeline/runtime/checkpoint.js';
import type { OutputBatch } from '../../pipeline/runtime/output/collector.js';
import { bucketRow, signalRow } from '../../pipeline/runtime/output/formats.js';
import type { OutputWriter } from '../../pipeline/runtime/output/table-writer.js';
import { jsonPieces, reviveNumbers } from '../../sinks/clickhouse/checkpoints.js';
import type { OutgoingMessage } from '../../sinks/kafka/producer.js';

export interface MemoryTables {
  /** Row per key, as strings (TSV lines, or JSON for rows that went as JSON). */
  readonly tweets: Map<string, string>;
  readonly intake: Map<string, string>;
  readonly hourly: Map<string, { version: number; row: string }>;
  readonly signals: Map<string, string>;
  readonly dlq: Map<string, string>;
  readonly scored: Map<string, string>;
  /** tweets.scored in the order it was sent (the window stage's input). */
  readonly scoredLog: OutgoingMessage[];
  /** Decision ids in the order they were executed (orders: the sink checks by id, so repeats are no-ops). */
  readonly executed: string[];
}

export function memoryTables(): MemoryTables {
  return {
    tweets: new Map(),
    intake: new Map(),
    hourly: new Map(),
    signals: new Map(),
    dlq: new Map(),
    scored: new Map(),
    scoredLog: [],
    executed: [],
  };
}

/** The TSV lines in a table's UTF-8 chunks, in order. */
export const tsvLines = (tsv: readonly Uint8Array[]): string[] =>
  Buffer.concat(tsv)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0);

/** What the tables hold, in a comparable form. */
export function contents(t: MemoryTables) {
  const sorted = <V>(m: Map<string, V>) => [...m].sort(([a], [b]) => a.localeCompare(b));
  return {
    tweets: sorted(t.tweets),
    intake: sorted(t.intake),
    hourly: sorted(t.hourly).map(([k, v]) => [k, v.row]),
    signals: sorted(t.signals),
    dlq: sorted(t.dlq),
    scored: sorted(t.scored),
    executed: [...new Set(t.executed)].sort(),
  };
}

/** A writer into `tables`; `fault` may throw before a batch is written (or after half of it). */
export function memoryWriter(
  tables: MemoryTables,
  fault: (batch: OutputBatch) => 'half' | undefined = () => undefined,
): OutputWriter {
  return {
    write(b) {
      const half = fault(b) === 'half';
      for (const line of tsvLines(b.tweets.tsv)) {
        const f = line.split('\t');
        tables.tweets.set(`${f[0]}\t${f[2]}\t${f[3]}`, line);
      }
      for (const row of b.tweets.json)
        tables.tweets.set(`${row.symbol}\t${row.created_at_ms}\t${row.tweet_id}`, JSON.stringify(row));
      for (const line of tsvLines(b.intake.tsv)) {
        const f = line.split('\t');
        tables.intake.set(`${f[0]}\t${f[1]}\t${f[2]}`, line);
      }
      for (const row of b.intake.json)
        tables.intake.set(`${row.topic}\t${row.partition}\t${row.offset}`, JSON.stringify(row));
      if (half) throw new Error('died while writing');
      for (const bucket of b.buckets) {
        const key = `${bucket.symbol}\t${bucket.start}`;
        const row = JSON.stringify(bucketRow(bucket));
        const held = tables.hourly.get(key);
        if (held === undefined || held.version <= bucket.count)
          tables.hourly.set(key, { version: bucket.count, row });
      }
      for (const d of b.decisions) tables.signals.set(d.id, JSON.stringify(signalRow(d)));
      for (const m of b.dlq) tables.dlq.set(String(m.key), `${m.headers?.reason}\t${String(m.value)}`);
      for (const m of b.repartition) tables.scoredLog.push(m);
      for (const m of b.repartition)
        tables.scored.set(`${m.key}\t${String(m.value)}\t${m.partition ?? ''}`, String(m.value));
      for (const d of b.decisions) tables.executed.push(d.id);
      return Promise.resolve();
    },
  };
}

/** Checkpoints kept in memory, written and read back as the ClickHouse store does. */
export function memoryCheckpoints(
  fault: (key: string, checkpoint: Checkpoint) => void = () => undefined,
): CheckpointStore & { readonly saved: Map<string, { seq: number; offsets: string; state: string }> } {
  const saved = new Map<string, { seq: number; offsets: string; state: string }>();
  return {
    saved,
    load(key) {
      const row = saved.get(key);
      if (row === undefined) return Promise.resolve(null);
      const offsets = JSON.parse(row.offsets) as Record<string, string>;
      return Promise.resolve({
        seq: row.seq,
        offsets: new Map(Object.entries(offsets).map(([p, o]) => [Number(p), BigInt(o)])),
        state: reviveNumbers(JSON.parse(row.state)) as Checkpoint['state'],
      });
    },
    save(key, checkpoint) {
      fault(key, checkpoint);
      const state = [...jsonPieces(checkpoint.state, 4, 'binary')].join('');
      const offsets = JSON.stringify(
        Object.fromEntries([...checkpoint.offsets].map(([p, o]) => [p, String(o)])),
      );
      const held = saved.get(key);
      if (held === undefined || held.seq <= checkpoint.seq)
        saved.set(key, { seq: checkpoint.seq, offsets, state });
      return Promise.resolve(state.length);
    },
  };
}
