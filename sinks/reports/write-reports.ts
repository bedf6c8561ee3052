/** Writes a backtest's summary.json, trades.csv and report.html into one directory. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { reportHtml } from './report-html.js';
import { tradesCsv } from './trades-csv.js';
import type { BacktestResult } from './types.js';

export interface WrittenReports {
  readonly summary: string;
  readonly trades: string;
  readonly html: string;
}

export async function writeReports(dir: string, result: BacktestResult): Promise<WrittenReports> {
  const paths = {
    summary: join(dir, 'summary.json'),
    trades: join(dir, 'trades.csv'),
    html: join(dir, 'report.html'),
  };
  try {
    await mkdir(dir, { recursive: true });
    await Promise.all([
      writeFile(paths.summary, `${JSON.stringify({ runId: result.runId, ...result.summary }, null, 2)}\n`),
      writeFile(paths.trades, tradesCsv(result.trades)),
      writeFile(paths.html, reportHtml(result)),
    ]);
  } catch (error) {
    throw new InputError(
      dir,
      `cannot write the reports (${(error as NodeJS.ErrnoException).code ?? error})`,
      error,
    );
  }
  return paths;
}
