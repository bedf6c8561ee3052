/** A one-line progress bar for `prices sync` on a terminal (stderr); silent when not a TTY. */
import type { SyncProgress } from './sync-candles.js';

export function renderSyncProgress(p: SyncProgress, width = 30): string {
  const span = p.until - p.from;
  const fraction = span > 0 ? Math.min(1, Math.max(0, (p.position - p.from) / span)) : 1;
  const filled = Math.round(fraction * width);
  const at = new Date(p.position).toISOString().slice(0, 16).replace('T', ' ');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${`${Math.floor(fraction * 100)}%`.padStart(4)}  ${p.stored.toLocaleString('en-US')} candles  at ${at}`;
}

export interface TtyOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export function createSyncProgressBar(output: TtyOutput): { update(p: SyncProgress): void; done(): void } {
  if (output.isTTY !== true) return { update: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    update(p) {
      drawn = true;
      output.write(`\r${renderSyncProgress(p)}`);
    },
    done() {
      if (drawn) output.write('\n');
    },
  };
}
