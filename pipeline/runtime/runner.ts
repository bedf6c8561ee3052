/**
 * The one runner loop, for every mode: a driver's batches into a topology's tasks, cuts taken by the
 * flush policy and committed in order in the background (committer.ts, commit.ts).
 *
 * - Groups (groups.ts) are opened from their checkpoints: all partitions at once before consuming
 *   (layout 'all'), or each partition on its first batch after it was assigned (layout 'partition');
 *   a revoked partition's group is dropped, its new owner resumes it from its checkpoint.
 * - Flush policy: a cut when `flushInputs` inputs or `flushBytes` payload bytes were taken since the
 *   last one (a big batch is cut piecewise), else `flushIntervalMs` after; a checkpoint with it every
 *   `checkpointIntervalMs`, spaced further as states grow (`checkpointBytesPerSecond`).
 * - Backpressure, as Kafka Streams does it: past `maxHeldBytes` consumed and not yet durable, or
 *   `maxPendingCommits` cuts not yet committed, every partition is paused (the handler never waits); a
 *   completed commit resumes them.
 * - Live and quiet for `idleWatermarkMs`: time still passes (topology.idle). With `exitWhenIdle`, once
 *   every partition is read: a last cut, checkpointed and committed, then the end of input (open
 *   buckets close, not checkpointed: a later run resumes before it and rewrites them whole).
 * - Shutdown (signal, failure or idle): the batch in flight ends, pending commits finish, then the last
 *   cut; a failure is rethrown once the driver and the tasks are closed.
 */
import type { Logger } from '../logger.js';
import type { CheckpointStore } from './checkpoint.js';
import { Committer, type PendingCut, type RunnerHooks, type RunSummary } from './committer.js';
import type { Driver } from './drivers/driver.js';
import { Groups } from './groups.js';
import type { InputMessage } from './message.js';
import type { OutputWriter } from './output/table-writer.js';
import { persistently } from './persistently.js';
import type { RuntimeSettings } from './settings.js';
import { groupKey, type Topology } from './topology/topology.js';

export type { RunnerHooks, RunSummary };

export interface RunnerOptions {
  readonly driver: Driver;
  readonly topology: Topology;
  /** What runs, for the last log line: `process`, `process --stage score`, `backtest replay`. */
  readonly name: string;
  /** The input topic: group keys name it. */
  readonly topic: string;
  readonly writer: OutputWriter;
  /** Null: nothing is checkpointed or committed (a backtest). */
  readonly store: CheckpointStore | null;
  readonly settings: RuntimeSettings;
  readonly exitWhenIdle: boolean;
  readonly log: Logger;
  readonly signal?: AbortSignal | undefined;
  readonly hooks?: RunnerHooks;
  /** First back-off when Kafka or ClickHouse is away (default 250 ms; unit tests pass less). */
  readonly backoffMs?: number;
}

export async function runRuntime(options: RunnerOptions): Promise<RunSummary> {
  const { driver, topology, topic, store, settings, log, hooks = {} } = options;
  const retry = { log, signal: options.signal, backoffMs: options.backoffMs };
  const groups = new Groups({ topology, store, starts: driver.starts, retry });
  const { offsets, dirty } = groups;
  const committer = new Committer({
    writer: options.writer,
    store,
    commitOffsets: (o) => driver.commit(o),
    groups,
    settings,
    hooks,
    retry,
  });
  const groupOf = (p: number): string => (topology.layout === 'all' ? topic : groupKey(topic, p));
  let owned: readonly number[] = [];
  let [pendingInputs, pendingBytes, heldBytes] = [0, 0, 0];
  let [lastFlushAt, lastCheckpointAt, lastInputAt, lastIdleAt] = [Date.now(), Date.now(), Date.now(), 0];
  let paused = false;
  let stopping = false;
  let failure: unknown;
  let resolveIdle!: () => void;
  const idle = new Promise<void>((resolve) => {
    resolveIdle = resolve;
  });
  const failed = (error: unknown): void => {
    failure ??= error;
    resolveIdle();
  };

  const held = (): readonly number[] => (topology.layout === 'all' ? [...driver.starts.keys()] : owned);
  const full = (): boolean =>
    heldBytes >= settings.maxHeldBytes || committer.unfinished >= settings.maxPendingCommits;
  const holdBack = (): void => {
    if (paused || !full()) return;
    if (heldBytes >= settings.maxHeldBytes && pendingBytes > 0) flushInBackground();
    paused = true;
    driver.pause(held());
  };
  const resumeIfRoom = (): void => {
    if (!paused || full()) return;
    paused = false;
    driver.resume(held());
  };

  /** Takes a cut now (with the due states and the offsets they cover); commits it in the background. */
  const flush = (force: boolean, endOfInput = false): Promise<void> => {
    const now = Date.now();
    const [covered, inputs] = [pendingBytes, pendingInputs];
    [pendingBytes, pendingInputs, lastFlushAt] = [0, 0, now];
    const due = store !== null && (force || (dirty.size > 0 && now - lastCheckpointAt >= committer.spacing));
    const keys = due ? (force ? groups.keys : [...dirty]) : [];
    if (due) {
      lastCheckpointAt = now;
      dirty.clear();
    }
    if (inputs === 0 && !topology.pendingOutput && keys.length === 0 && !endOfInput) return committer.idle();
    const cuts: PendingCut[] = [
      {
        taken: topology.cut(keys),
        inputs,
        covers: keys.map((key) => ({ key, offsets: offsets.cover(groups.partitions(key)) })),
      },
    ];
    if (endOfInput) {
      topology.finish();
      cuts.push({ taken: topology.cut([]), inputs: 0, covers: [] });
    }
    return committer.enqueue(cuts, () => {
      heldBytes -= covered;
      resumeIfRoom();
    });
  };
  const flushInBackground = (): void => {
    flush(false).catch(failed);
  };

  const push = (partition: number, messages: readonly InputMessage[]): void => {
    const from = offsets.next(partition) ?? 0n;
    let at = 0;
    // Fetched before a seek: already taken.
    while (at < messages.length && BigInt(messages[at]!.offset) < from) at++;
    // In slices that fill the next cut, so a fetch of big payloads is cut (and written) piecewise.
    while (at < messages.length) {
      let end = at;
      let bytes = 0;
      do bytes += messages[end++]!.value?.length ?? 0;
      while (end < messages.length && pendingBytes + bytes < settings.flushBytes);
      topology.push(partition, at === 0 && end === messages.length ? messages : messages.slice(at, end));
      offsets.processed(partition, BigInt(messages[end - 1]!.offset));
      pendingInputs += end - at;
      pendingBytes += bytes;
      heldBytes += bytes;
      dirty.add(groupOf(partition));
      lastInputAt = Date.now();
      if (pendingInputs >= settings.flushInputs || pendingBytes >= settings.flushBytes) flushInBackground();
      at = end;
    }
    holdBack();
  };

  let inFlight: Promise<void> = Promise.resolve();
  const batch = async (partition: number, messages: readonly InputMessage[]): Promise<void> => {
    if (stopping || messages.length === 0) return; // not taken, not committed: read again next time
    const work = (async () => {
      const started = performance.now();
      if (topology.layout === 'partition') {
        if (!owned.includes(partition)) return;
        if (!offsets.has(partition)) {
          await groups.open(groupOf(partition), [partition]);
          if (!owned.includes(partition) || stopping) return;
        }
        const next = offsets.next(partition)!;
        // Fetched from a committed offset past the checkpoint: go back to where the state is.
        if (BigInt(messages[0]!.offset) > next) return driver.seek(partition, next);
      }
      push(partition, messages);
      hooks.onTaken?.(messages);
      hooks.onTiming?.('batch', (performance.now() - started) / 1000);
    })();
    inFlight = work.catch(() => undefined);
    await work;
  };
  const assigned = (partitions: readonly number[]): void => {
    owned = [...partitions];
    hooks.onAssignment?.(partitions);
    if (topology.layout === 'all') {
      const missing = held().filter((p) => !partitions.includes(p));
      if (missing.length > 0) {
        log.warn({ missing }, 'another member holds some partitions: the window waits for their watermarks');
      }
      for (const p of partitions) driver.seek(p, offsets.next(p) ?? 0n);
    } else {
      groups.keepOnly(partitions);
      log.info({ partitions }, 'assigned partitions: each resumes from its own checkpoint');
    }
    if (paused) driver.pause(partitions);
  };

  const tick = async (): Promise<void> => {
    if (stopping) return;
    const now = Date.now();
    const idleFor = now - lastInputAt;
    if (
      settings.idleWatermarkMs !== null &&
      idleFor >= settings.idleWatermarkMs &&
      now - lastIdleAt >= 1_000
    ) {
      lastIdleAt = now;
      topology.idle(now, idleFor, held());
    }
    // Results wait at most flushIntervalMs; so does a checkpoint that fell due while input was quiet.
    const checkpointDue = store !== null && dirty.size > 0 && now - lastCheckpointAt >= committer.spacing;
    const waiting = pendingInputs > 0 || topology.pendingOutput || checkpointDue;
    if (waiting && now - lastFlushAt >= settings.flushIntervalMs) flushInBackground();
    if (
      options.exitWhenIdle &&
      idleFor >= settings.drainCheckMs &&
      (await driver.drained((p) => offsets.next(p)))
    ) {
      resolveIdle();
    }
  };

  topology.watch?.(failed);
  try {
    if (topology.layout === 'all')
      await groups.open(
        topic,
        [...driver.starts.keys()].sort((a, b) => a - b),
      );
    await driver.run({ batch, assigned });
  } catch (error) {
    await Promise.all([driver.stop(), topology.close()]);
    throw error;
  }
  const period = Math.min(settings.flushIntervalMs, settings.drainCheckMs, 250);
  const timer = setInterval(() => void tick().catch(failed), period);
  driver.done.catch(failed);
  if (options.exitWhenIdle) void driver.ended?.then(() => resolveIdle());
  options.signal?.addEventListener('abort', () => resolveIdle(), { once: true });
  if (options.signal?.aborted) resolveIdle();

  await idle;
  stopping = true;
  clearInterval(timer);
  try {
    await inFlight;
    await committer.idle();
    if (failure !== undefined) throw failure;
    const endOfInput = options.exitWhenIdle && !options.signal?.aborted;
    // Still a group member here, so the last commit goes through; it comes last, after every row.
    await flush(true, endOfInput && topology.layout === 'all');
    if (endOfInput && topology.finishGroup !== undefined && store !== null) {
      // Every partition, not only this member's: ownership moves as members leave. Not checkpointed.
      for (const p of driver.starts.keys()) {
        const key = groupOf(p);
        topology.finishGroup(
          key,
          (await persistently('loading a checkpoint', () => store.load(key), retry))?.state,
        );
      }
      await committer.enqueue([{ taken: topology.cut([]), inputs: 0, covers: [] }], () => undefined);
    }
  } finally {
    await Promise.all([driver.stop(), topology.close()]);
  }
  log.info({ ...committer.total }, `${options.name} stopped`);
  return committer.total;
}
