/**
 * A one-line progress bar for the file source, drawn on a terminal (stderr) at most every
 * `intervalMs`; silent when the stream is not a TTY so logs and pipes stay clean.
 */

export interface ProgressSnapshot {
  readonly bytes: number;
  readonly totalBytes: number;
  readonly lines: number;
  readonly rejected: number;
}

/** Pure rendering, e.g. `[##########----------]  50%  12,000 lines  3 rejected`. */
export function renderProgress({ bytes, totalBytes, lines, rejected }: ProgressSnapshot, width = 30): string {
  const fraction = totalBytes > 0 ? Math.min(bytes / totalBytes, 1) : 1;
  const filled = Math.round(fraction * width);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}  ${lines.toLocaleString('en-US')} lines  ${rejected} rejected`;
}

export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressBar {
  update(snapshot: ProgressSnapshot): void;
  done(snapshot: ProgressSnapshot): void;
}

export function createProgressBar(
  output: ProgressOutput | null,
  { intervalMs = 100, now = Date.now }: { readonly intervalMs?: number; readonly now?: () => number } = {},
): ProgressBar {
  if (output === null || output.isTTY !== true) return { update: () => undefined, done: () => undefined };
  let last = Number.NEGATIVE_INFINITY;
  return {
    update(snapshot) {
      const t = now();
      if (t - last < intervalMs) return;
      last = t;
      output.write(`\r${renderProgress(snapshot)}`);
    },
    done(snapshot) {
      output.write(`\r${renderProgress(snapshot)}\n`);
    },
  };
}
