/**
 * `file:<path>`: NDJSON of posts (X v2 envelopes, Jetstream events, Mastodon statuses; one per line, as
 * `sentiflow export` writes them; classify-envelope.ts tells them apart) or the X-only
 * CSV layout documented in csv-envelope.ts (chosen by a .csv extension). Pull-based: lines come from
 * readline over a file stream and the next one is read only when `demand` is ready, so a slow sink
 * holds the file back instead of buffering it. A malformed line becomes a rejection naming its line
 * number (it goes to the DLQ) and reading goes on. Draws a progress bar when `progress` is a TTY.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Observable } from 'rxjs';
import { ConfigError, InputError } from '../../lib/errors.js';
import { classifyEnvelope, classifyLine } from './classify-envelope.js';
import { type CsvHeader, csvRowToEnvelope, parseCsvRecord, readCsvHeader } from './csv-envelope.js';
import { createProgressBar, type ProgressOutput } from './progress.js';
import { ALWAYS_READY, type Demand, type IngestItem } from './types.js';

export const FILE_FORMATS = ['ndjson', 'csv'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export interface FileSourceOptions {
  readonly path: string;
  /** Defaults to csv for a .csv file, ndjson otherwise. */
  readonly format?: FileFormat;
  readonly demand?: Demand;
  /** Where the progress bar goes (drawn only when it is a TTY), e.g. process.stderr. */
  readonly progress?: ProgressOutput | null;
}

/** A quoted CSV field spanning more lines than this is treated as an unterminated quote. */
const MAX_CSV_RECORD_LINES = 50;

export function formatOf(path: string): FileFormat {
  return /\.csv$/i.test(path) ? 'csv' : 'ndjson';
}

export function createFileSource$({
  path,
  format = formatOf(path),
  demand = ALWAYS_READY,
  progress = null,
}: FileSourceOptions): Observable<IngestItem> {
  return new Observable<IngestItem>((subscriber) => {
    let totalBytes: number;
    try {
      totalBytes = statSync(path).size;
    } catch (error) {
      subscriber.error(new ConfigError(`cannot read file:${path}`, error));
      return;
    }
    const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    const bar = createProgressBar(progress);
    let lineNo = 0;
    let rejected = 0;
    const snapshot = () => ({ bytes: input.bytesRead, totalBytes, lines: lineNo, rejected });

    let header: CsvHeader | null = null;
    let pending: { text: string; firstLine: number } | null = null;

    const csvItem = (record: string, firstLine: number): IngestItem | null => {
      const where = `file:${path}:${firstLine}`;
      const fields = parseCsvRecord(record);
      if (fields === 'incomplete') throw new Error('unreachable: incomplete records are buffered');
      if (header === null) {
        const parsed = readCsvHeader(fields);
        if ('missing' in parsed) {
          throw new ConfigError(`file:${path}: the CSV header lacks ${parsed.missing.join(', ')}`);
        }
        header = parsed;
        return null;
      }
      const row = csvRowToEnvelope(header, fields);
      if ('reason' in row) {
        return {
          kind: 'reject',
          reason: row.reason,
          detail: `${where}: ${row.detail}`,
          payload: record,
          source: 'file',
        };
      }
      return classifyEnvelope(row.envelope, JSON.stringify(row.envelope), 'file', where);
    };

    const itemFor = (line: string, lineNo: number): IngestItem | null => {
      if (format === 'ndjson') {
        return line.trim() === '' ? null : classifyLine(line, 'file', `file:${path}:${lineNo}`);
      }
      const text = pending === null ? line : `${pending.text}\n${line}`;
      const firstLine = pending?.firstLine ?? lineNo;
      if (pending === null && line.trim() === '') return null;
      if (parseCsvRecord(text) === 'incomplete') {
        if (lineNo - firstLine + 1 < MAX_CSV_RECORD_LINES) {
          pending = { text, firstLine };
          return null;
        }
        pending = null;
        const detail = `file:${path}:${firstLine}-${lineNo}: unterminated quoted field`;
        return { kind: 'reject', reason: 'csv_unterminated_quote', detail, payload: text, source: 'file' };
      }
      pending = null;
      return csvItem(text, firstLine);
    };

    // Lines are handled as readline emits them (no per-line promise); when the sink is full, reading
    // pauses and the few lines readline still emits from its current chunk wait in `backlog`.
    const backlog: { line: string; no: number }[] = [];
    let backlogHead = 0;
    let paused = false;
    let closed = false;
    let failed = false;

    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      if (error instanceof ConfigError) subscriber.error(error);
      else subscriber.error(new InputError(`file:${path}:${readLines}`, 'reading failed', error));
    };
    const finish = (): void => {
      if (pending !== null) {
        const detail = `file:${path}:${pending.firstLine}: unterminated quoted field at end of file`;
        subscriber.next({
          kind: 'reject',
          reason: 'csv_unterminated_quote',
          detail,
          payload: pending.text,
          source: 'file',
        });
        rejected += 1;
        pending = null;
      }
      bar.done(snapshot());
      subscriber.complete();
    };
    const handle = (line: string, no: number): void => {
      lineNo = no;
      const item = itemFor(line, no);
      if (item === null) return;
      if (item.kind === 'reject') rejected += 1;
      subscriber.next(item);
      if ((no & 0xff) === 0) bar.update(snapshot());
    };
    /** Handles backlog lines while the sink takes them; false when it had to stop. */
    const drain = (): boolean => {
      while (backlogHead < backlog.length) {
        if (subscriber.closed || failed) return false;
        const waiting = demand.ready();
        if (waiting !== undefined) {
          if (!paused) {
            paused = true;
            lines.pause();
          }
          waiting.then(resume, fail);
          return false;
        }
        const next = backlog[backlogHead++]!;
        try {
          handle(next.line, next.no);
        } catch (error) {
          fail(error);
          return false;
        }
      }
      backlog.length = 0;
      backlogHead = 0;
      return true;
    };
    const resume = (): void => {
      if (!drain()) return;
      paused = false;
      if (closed) {
        if (!subscriber.closed && !failed) finish();
      } else {
        lines.resume();
      }
    };

    let readLines = 0;
    lines.on('line', (line: string) => {
      readLines += 1;
      if (subscriber.closed || failed) return;
      // Editors and spreadsheet exports may start a file with a byte-order mark.
      backlog.push({
        line: readLines === 1 && line.startsWith('\uFEFF') ? line.slice(1) : line,
        no: readLines,
      });
      if (!paused) drain();
    });
    lines.on('close', () => {
      closed = true;
      if (!paused && !subscriber.closed && !failed && drain()) finish();
    });
    input.on('error', fail);

    return () => {
      lines.close();
      input.destroy();
    };
  });
}
