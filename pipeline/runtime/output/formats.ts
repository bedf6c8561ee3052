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

export { bucketRow, signalRow } from './rows.js';
export { markMessages, scoredMessages } from './scored-records.js';
export { INTAKE_COLUMNS, TWEET_COLUMNS } from './tsv-rows.js';

/** Rows of one big table: TSV pieces (whole lines) and the rows that go as JSON. */
export interface TableRows {
  readonly tsv: string[];
  readonly json: Record<string, unknown>[];
}

export const emptyRows = (): TableRows => ({ tsv: [], json: [] });

export function addTweetRows(into: TableRows, tweet: Parameters<typeof tweetRows>[0]): void {
  const line = tweetRowsTsv(tweet);
  if (line === null) into.json.push(...tweetRows(tweet));
  else into.tsv.push(line);
}

export function addIntakeRow(into: TableRows, topic: string, record: IntakeRecord): void {
  const line = intakeRowTsv(topic, record);
  if (line === null) into.json.push(intakeRow(topic, record));
  else into.tsv.push(line);
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
