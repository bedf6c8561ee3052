/**
 * The suite's summary: each scenario records one row; summary-setup.ts prints them as a table when
 * the run ends. Rows go through a file because test files run in worker processes.
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SummaryRow {
  readonly scenario: string;
  readonly messagesIn: number;
  readonly rowsOut: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Time from the fault's end until the pipeline caught up; null when the scenario has no fault. */
  readonly recoveryMs: number | null;
  readonly notes?: string;
}

export const summaryFile = (): string =>
  join(tmpdir(), `sentiflow-reliability-${process.env.SENTIFLOW_RELIABILITY_RUN ?? 'run'}.jsonl`);

export function recordSummary(row: SummaryRow): void {
  appendFileSync(summaryFile(), `${JSON.stringify(row)}\n`);
  process.stderr.write(`[reliability] ${JSON.stringify(row)}\n`);
}

export function readSummary(): SummaryRow[] {
  if (!existsSync(summaryFile())) return [];
  return readFileSync(summaryFile(), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SummaryRow);
}

export function clearSummary(): void {
  rmSync(summaryFile(), { force: true });
}

export function formatSummary(rows: readonly SummaryRow[]): string {
  const header = ['scenario', 'messages in', 'rows out', 'lost', 'duplicated', 'recovery', 'notes'];
  const body = rows.map((r) => [
    r.scenario,
    String(r.messagesIn),
    String(r.rowsOut),
    String(r.lost),
    String(r.duplicated),
    r.recoveryMs === null ? '-' : `${(r.recoveryMs / 1000).toFixed(1)} s`,
    r.notes ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** Profile-dependent sizes: RELIABILITY_PROFILE=ci picks the bounded CI values. */
export function size(name: string, full: number, ci: number): number {
  const given = process.env[name];
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number >= 0, got "${given}"`);
    return n;
  }
  return process.env.RELIABILITY_PROFILE === 'ci' ? ci : full;
}
