/**
 * One formatter per output, used by every mode: what a scored tweet, an intake record, a rejection, a
 * bucket and a decision look like in the table or topic they go to. The two big tables (tweets, intake)
 * go as TabSeparated text (tsv-rows.ts), falling back to JSONEachRow rows (rows.ts) for the rare row
 * TSV cannot carry exactly.
 */
import type { Decision } from '../../../operators/index.js';
import type { OutgoingMessage } from '../../../sinks/kafka/producer.js';
import type { IntakeRecord, Rejection } from '../tally.js';
import { intakeRow, tweetRows } from './rows.js';
import { intakeRowTsv, tweetRowsTsv } from './tsv-rows.js';
import { Utf8Chunks } from './utf8-chunks.js';

export { bucketRow, signalRow } from './rows.js';
export { markMessages, scoredMessages } from './scored-records.js';
export { INTAKE_COLUMNS, TWEET_COLUMNS } from './tsv-rows.js';

/** Rows of one big table as a cut hands them over: TSV lines in UTF-8 chunks, and the rows that go as JSON. */
export interface TableRows {
  readonly tsv: readonly Uint8Array[];
  readonly json: readonly Record<string, unknown>[];
}

/** One big table's rows as they are formatted: each TSV line is encoded at once (utf8-chunks.ts). */
export class TableRowsBuilder {
  private readonly tsv = new Utf8Chunks();
  private json: Record<string, unknown>[] = [];

  line(tsv: string): void {
    this.tsv.add(tsv);
  }

  row(json: Record<string, unknown>): void {
    this.json.push(json);
  }

  /** Rows formatted elsewhere (a score thread's cut), after those added so far. */
  absorb(rows: TableRows): void {
    this.tsv.append(rows.tsv);
    for (const row of rows.json) this.json.push(row);
  }

  /** Everything since the last take; starts empty again. */
  take(): TableRows {
    const taken = { tsv: this.tsv.take(), json: this.json };
    this.json = [];
    return taken;
  }
}

/** The ArrayBuffers under some rows' TSV chunks, to transfer them to another thread. */
export const tsvBuffers = (...rows: readonly TableRows[]): ArrayBuffer[] => [
  ...new Set(rows.flatMap((r) => r.tsv.map((c) => c.buffer as ArrayBuffer))),
];

export function addTweetRows(into: TableRowsBuilder, tweet: Parameters<typeof tweetRows>[0]): void {
  const line = tweetRowsTsv(tweet);
  if (line === null) for (const row of tweetRows(tweet)) into.row(row);
  else into.line(line);
}

export function addIntakeRow(into: TableRowsBuilder, topic: string, record: IntakeRecord): void {
  const line = intakeRowTsv(topic, record);
  if (line === null) into.row(intakeRow(topic, record));
  else into.line(line);
}

/** The DLQ message of a rejected payload: its bytes as consumed (not copied), the reason in headers. */
export function dlqMessage(topic: string, { input, drop }: Rejection): OutgoingMessage {
  const { value } = input;
  return {
    key: `${topic}:${input.partition}:${input.offset}`,
    value:
      value === null
        ? null
        : Buffer.isBuffer(value)
          ? value
          : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    timestamp: input.timestamp,
    headers: {
      reason: drop.reason,
      stage: drop.stage,
      detail: drop.detail.slice(0, 500),
      source: `${topic}/${input.partition}/${input.offset}`,
    },
  };
}

/** A decision on the signals topic: keyed by symbol, at the time it was decided. */
export function signalMessage(d: Decision): OutgoingMessage {
  return { key: d.symbol, value: JSON.stringify(d), timestamp: d.decidedAt };
}
