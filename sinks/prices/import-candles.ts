/**
 * `prices import`: streams a CSV file of candles into the store in batches. A row that cannot be read
 * becomes one line `file:line: reason` through `onBadRow` and is skipped; nothing else is lost.
 * Data defects (gaps, jumps, an implausible first candle, duplicates) are reported in the result.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '../../lib/errors.js';
import { type Candle, type SeriesKey, timeframeMs } from './candle.js';
import { createDefectChecker, type Defect, type DefectSummary, summarizeDefects } from './candle-defects.js';
import type { CandleStore } from './candle-store.js';
import {
  type CsvLayout,
  isHeader,
  layoutFromHeader,
  POSITIONAL_LAYOUT,
  parseCandleRow,
  splitCsvLine,
} from './csv-candles.js';

export interface ImportOptions {
  readonly file: string;
  readonly key: SeriesKey;
  readonly store: CandleStore;
  readonly batchSize?: number;
  readonly jumpThreshold?: number;
  /** One line per unreadable row. */
  readonly onBadRow?: (line: string) => void;
}

export interface ImportReport {
  readonly file: string;
  readonly rows: number;
  readonly imported: number;
  readonly badRows: number;
  readonly first: number | null;
  readonly last: number | null;
  readonly defects: DefectSummary;
}

export async function importCandles({
  file,
  key,
  store,
  batchSize = 5_000,
  jumpThreshold = 0.05,
  onBadRow = () => {},
}: ImportOptions): Promise<ImportReport> {
  const step = timeframeMs(key.timeframe);
  if (step === null) throw new InputError('timeframe', `'${key.timeframe}' is not a timeframe like 1h`);
  const checker = createDefectChecker({ timeframeMs: step, jumpThreshold });
  const defects: Defect[] = [];
  const source = `csv:${file.split('/').at(-1) ?? file}`;
  let layout: CsvLayout | null = null;
  let batch: Candle[] = [];
  let lineNumber = 0;
  let rows = 0;
  let imported = 0;
  let badRows = 0;
  let first: number | null = null;
  let last: number | null = null;

  const input = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (error) =>
      reject(
        new InputError(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? error.message})`),
      ),
    );
  });
  await opened;
  for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber += 1;
    const line = raw.trim();
    if (line === '') continue;
    const fields = splitCsvLine(line);
    if (layout === null) {
      if (isHeader(fields)) {
        const fromHeader = layoutFromHeader(fields);
        if (typeof fromHeader === 'string') throw new InputError(`${file}:${lineNumber}`, fromHeader);
        layout = fromHeader;
        continue;
      }
      layout = POSITIONAL_LAYOUT;
    }
    rows += 1;
    const parsed = parseCandleRow(fields, layout);
    if (typeof parsed === 'string') {
      badRows += 1;
      onBadRow(`${file}:${lineNumber}: ${parsed}`);
      continue;
    }
    const verdict = checker.check(parsed);
    defects.push(...verdict.defects);
    if (!verdict.keep) continue;
    first ??= parsed.openTime;
    last = parsed.openTime;
    batch.push(parsed);
    if (batch.length >= batchSize) {
      await store.write(key, batch, source);
      imported += batch.length;
      batch = [];
    }
  }
  await store.write(key, batch, source);
  imported += batch.length;
  return { file, rows, imported, badRows, first, last, defects: summarizeDefects(defects) };
}
