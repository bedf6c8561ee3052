/**
 * Replay progress on stderr: a redrawn line with a bar, tweets/s and the event time reached on a
 * terminal; a plain log line every few seconds otherwise (CI, pipes).
 */
import type { ReplayProgress } from '../runtime/modes/replay.js';

export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export function renderReplayProgress(p: ReplayProgress, elapsedMs: number, width = 24): string {
  const fraction = p.total > 0 ? Math.min(1, p.read / p.total) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? Math.round((p.read / elapsedMs) * 1000) : 0;
  const at = new Date(p.eventTime).toISOString().slice(0, 16).replace('T', ' ');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(fraction * 100)}%  ${p.read.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} tweets  ${rate.toLocaleString('en-US')} tweets/s  at ${at}Z`;
}

export interface ReplayProgressReporter {
  update(p: ReplayProgress): void;
  done(): void;
}

export function createReplayProgress(
  output: ProgressOutput,
  { now = Date.now, intervalMs }: { readonly now?: () => number; readonly intervalMs?: number } = {},
): ReplayProgressReporter {
  const tty = output.isTTY === true;
  const every = intervalMs ?? (tty ? 200 : 5_000);
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  let latest: ReplayProgress | null = null;
  return {
    update(p) {
      latest = p;
      const t = now();
      if (t - last < every) return;
      last = t;
      const line = renderReplayProgress(p, t - started);
      if (tty) {
        output.write(`\r${line}`);
      } else output.write(`backtest: ${line}\n`);
    },
    done() {
      if (latest === null) return;
      const line = renderReplayProgress(latest, now() - started);
      output.write(tty ? `\r${line}\n` : `backtest: ${line}\n`);
    },
  };
}
