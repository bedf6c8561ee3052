/**
 * `sentiflow export`: the inverse of the file source. Writes the values of a topic's messages with
 * Kafka timestamps in [from, to) as NDJSON, one envelope per line, honouring the output's back-pressure.
 */
import type { Kafka } from 'kafkajs';
import { ConfigError } from '../../lib/errors.js';
import { readTopicRange } from './read-topic.js';

export interface ExportOptions {
  readonly topic: string;
  readonly brokers: readonly string[];
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly out: NodeJS.WritableStream;
  readonly deadlineMs?: number;
}

/** Parses an ISO 8601 time or epoch milliseconds given on the command line. */
export function parseTime(text: string, flag: string): number {
  const trimmed = text.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  if (!Number.isFinite(ms)) {
    throw new ConfigError(`${flag} expects an ISO 8601 time or epoch milliseconds, got "${text}"`);
  }
  return ms;
}

/** One NDJSON line per value; a value holding a raw newline is re-serialised so the line stays one line. */
export function toNdjsonLine(value: Buffer): string {
  const text = value.toString('utf8');
  if (!text.includes('\n')) return `${text}\n`;
  try {
    return `${JSON.stringify(JSON.parse(text))}\n`;
  } catch {
    return `${JSON.stringify(text)}\n`;
  }
}

export async function exportTopic(kafka: Kafka, options: ExportOptions): Promise<number> {
  const { topic, brokers, fromMs, toMs, out, deadlineMs } = options;
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw new ConfigError(
      `--from must be before --to (got ${new Date(fromMs).toISOString()} >= ${new Date(toMs).toISOString()})`,
    );
  }
  // A reader that went away (`export | head`) ends the export quietly, as Unix tools do.
  let gone = false;
  const onGone = (): void => {
    gone = true;
  };
  out.on('error', onGone);
  out.on('close', onGone);
  try {
    return await readTopicRange(kafka, {
      topic,
      brokers,
      ...(fromMs === undefined ? {} : { fromMs }),
      ...(toMs === undefined ? {} : { toMs }),
      ...(deadlineMs === undefined ? {} : { deadlineMs }),
      onRecord: async (record) => {
        if (gone) return 'stop';
        if (record.value === null) return undefined;
        if (!out.write(toNdjsonLine(record.value))) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              out.off('drain', done);
              out.off('close', done);
              out.off('error', done);
              resolve();
            };
            out.on('drain', done);
            out.on('close', done);
            out.on('error', done);
          });
        }
        return gone ? 'stop' : undefined;
      },
    });
  } finally {
    out.off('error', onGone);
    out.off('close', onGone);
  }
}
