/**
 * Every flush, hold-back and checkpoint setting of the runtime, with its default: the one place they
 * are written. The config's `process` section takes its defaults from here (`sentiflow config check`
 * prints the effective values); `process` flags override the file.
 */
import { DEFAULT_FETCH_BYTES } from '../sources/kafka-consumer.js';

export interface RuntimeSettings {
  /** Inputs taken since the last flush that force the next one. */
  readonly flushInputs: number;
  /** Payload bytes taken since the last flush that force the next one. */
  readonly flushBytes: number;
  /**
   * Payload bytes consumed and not yet durable (in the tasks, in a flush being written) above which every
   * partition is paused until a flush completes. Bounds what huge or damaged input holds in memory.
   */
  readonly maxHeldBytes: number;
  /** Cuts taken and not yet committed (written, checkpointed) above which every partition is paused too. */
  readonly maxPendingCommits: number;
  /** Longest time results wait before they are written. */
  readonly flushIntervalMs: number;
  /** Least time between checkpoints (each one commits offsets). */
  readonly checkpointIntervalMs: number;
  /**
   * Checkpoint bytes written per second at most: a checkpoint holds every dedupe memory, so as those
   * fill, checkpoints are spaced out (never closer than checkpointIntervalMs) to keep their cost flat.
   */
  readonly checkpointBytesPerSecond: number;
  /**
   * Live only: after this long without input, the watermark follows wall-clock time (minus the window's
   * out-of-orderness), so quiet hours still close; null: off. A replay cannot see wall-clock time.
   */
  readonly idleWatermarkMs: number | null;
  /** Compressed bytes one Kafka fetch may return, per partition and in all. */
  readonly fetchBytes: number;
  /** Quiet time before `--exit-when-idle` asks whether every partition is drained. */
  readonly drainCheckMs: number;
}

export const RUNTIME_DEFAULTS: RuntimeSettings = {
  flushInputs: 20_000,
  flushBytes: 16 * 1024 * 1024,
  maxHeldBytes: 64 * 1024 * 1024,
  maxPendingCommits: 3,
  flushIntervalMs: 1_000,
  checkpointIntervalMs: 10_000,
  checkpointBytesPerSecond: 1_000_000,
  idleWatermarkMs: null,
  fetchBytes: DEFAULT_FETCH_BYTES,
  drainCheckMs: 200,
};

/** The defaults with `given` over them (undefined keys keep their default). */
export function runtimeSettings(given: Partial<RuntimeSettings> = {}): RuntimeSettings {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return { ...RUNTIME_DEFAULTS, ...defined };
}
