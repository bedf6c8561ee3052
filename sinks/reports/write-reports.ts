/** Writes a backtest's summary.json, trades.csv and report.html, or a research run's files, into one directory. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../lib/errors.js';
import { type ReportOptions, reportHtml } from './report-html.js';
import { researchHtml } from './research-html.js';
import type { ResearchReport } from './research-types.js';
import { tradesCsv } from './trades-csv.js';
import type { BacktestResult } from './types.js';

export interface WrittenReports {
  readonly summary: string;
  readonly trades: string;
  readonly html: string;
}

/** Writes files (name -> content) into `dir`, created when missing; one InputError line on failure. */
async function writeAll(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
  } catch (error) {
    throw new InputError(
      dir,
      `cannot write the reports (${(error as NodeJS.ErrnoException).code ?? error})`,
      error,
    );
  }
}

export async function writeReports(
  dir: string,
  result: BacktestResult,
  options: ReportOptions = {},
): Promise<WrittenReports> {
  await writeAll(dir, {
    'summary.json': `${JSON.stringify({ runId: result.runId, ...result.summary }, null, 2)}\n`,
    'trades.csv': tradesCsv(result.trades),
    'report.html': reportHtml(result, options),
  });
  return {
    summary: join(dir, 'summary.json'),
    trades: join(dir, 'trades.csv'),
    html: join(dir, 'report.html'),
  };
}

/** research.json (the whole report) and research.html. */
export async function writeResearchReports(
  dir: string,
  report: ResearchReport,
): Promise<{ readonly json: string; readonly html: string }> {
  await writeAll(dir, {
    'research.json': `${JSON.stringify(report, null, 2)}\n`,
    'research.html': researchHtml(report),
  });
  return { json: join(dir, 'research.json'), html: join(dir, 'research.html') };
}
