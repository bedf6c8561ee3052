/**
 * `sentiflow process`: tweets.raw -> engine -> ClickHouse (tweets, intake, sentiment_hourly, signals)
 * and Kafka (tweets.dlq, signals), crash-safe.
 *
 * Order of durability, every flush: outputs are written (idempotent: ReplacingMergeTree keys, DLQ and
 * signals keyed) -> the engine state and the offsets it corresponds to are checkpointed in ClickHouse
 * -> only then are the offsets committed to Kafka. A restart loads the checkpoint and seeks every
 * partition to its offsets; replaying the messages after it reproduces the same outputs, which replace
 * themselves. Killed at any point, a rerun leaves the same tables.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Decision } from '../../operators/index.js';
import { loadCheckpoint, saveCheckpoint } from '../../sinks/clickhouse/checkpoints.js';
import type { ClickHouseClient } from '../../sinks/clickhouse/client.js';
import { insertRows, insertTsv } from '../../sinks/clickhouse/insert.js';
import { RejectedError } from '../../sinks/errors.js';
import { type BatchContext, type ConsumedBatch, createBatchConsumer } from '../../sinks/kafka/consumer.js';
import { toKafkaError } from '../../sinks/kafka/errors.js';
import type { TopicProducer } from '../../sinks/kafka/producer.js';
import type { Config } from '../config.js';
import type { EngineOptions, EngineOutput, EngineSnapshot } from './engine.js';
import type { IntakeTally } from './intake-tally.js';
import { persistently } from './persistently.js';
import {
  createInlineCore,
  createThreadedCore,
  type EncodedRows,
  type ProcessCore,
  type ProcessCut,
  type ScoreThreadsOption,
} from './process-core.js';
import { bucketRow, intakeRow, signalRow, tweetRows } from './rows.js';
import { INTAKE_COLUMNS, TWEET_COLUMNS } from './tsv-rows.js';

export interface ProcessDeps {
  readonly kafka: Kafka;
  readonly producer: TopicProducer;
  readonly clickhouse: ClickHouseClient;
  readonly logger: Logger;
  /** Trading hook: called with each flush's decisions after they are durable (paper or live exchange). */
  readonly executeDecisions?: (decisions: readonly Decision[]) => Promise<void>;
  /** Observes every flush (metrics, tests): its output and what its inputs became. */
  readonly onFlush?: (out: EngineOutput, tally: IntakeTally) => void;
  /** Observes how long each consumed batch and each flush (until its results are durable) took. */
  readonly onTiming?: (what: 'batch' | 'flush', seconds: number) => void;
  /** Observes every offset commit (after its checkpoint is saved): next offset per partition. */
  readonly onCommitted?: (offsets: ReadonlyMap<number, bigint>) => void;
}

export interface ProcessOptions {
  readonly config: Pick<Config, 'kafka' | 'topics' | 'clickhouse'>;
  readonly engine: Omit<EngineOptions, 'partitions'>;
  readonly groupId?: string;
  /** Stop once every partition is drained, flushed and committed (closing open buckets as the end of input). */
  readonly exitWhenIdle?: boolean;
  /** Inputs held before a flush is forced. */
  readonly flushInputs?: number;
  /** Payload bytes held before a flush is forced (large or damaged payloads are kept for the DLQ). */
  readonly flushBytes?: number;
  /**
   * Payload bytes consumed but not yet durable (waiting for a flush, or in one) before consumption
   * waits for the oldest flush. Bounds what bad or huge input holds in memory, whatever the count.
   */
  readonly maxHeldBytes?: number;
  /** Longest time outputs wait before a flush. */
  readonly flushIntervalMs?: number;
  /** Least time between checkpoints (each one commits offsets). */
  readonly checkpointIntervalMs?: number;
  /**
   * Checkpoint JSON written per second at most: a checkpoint holds every dedupe memory (up to a million
   * ids and more), so as those fill, checkpoints are spaced out to keep the cost flat. Default 1 MB/s.
   */
  readonly checkpointBytesPerSecond?: number;
  /**
   * Live only: after this long without input, move the watermark to wall-clock time minus the window's
   * out-of-orderness, so quiet hours still close. A replay cannot see wall-clock time, so a replay of a
   * period with such advances may count tweets that the live run had found late. Off by default.
   */
  readonly idleWatermarkMs?: number;
  /**
   * Run normalize -> dedupe -> filter -> score in worker threads, overlapping with consuming, windowing
   * and writing (same rows, same checkpoints). Absent or count 0: all in this thread.
   */
  readonly scoreThreads?: ScoreThreadsOption;
  /** Compressed bytes one fetch may return, per partition and in all (default: DEFAULT_FETCH_BYTES of the consumer). */
  readonly fetchBytes?: number;
  readonly signal?: AbortSignal;
}

/**
 * Where an idle live stream's watermark goes: event time is taken to go on at wall-clock pace from the
 * last event seen. Live, that is now; a replay of old tweets is not declared late wholesale (its last
 * hour closes an hour of idleness later), and before any input nothing moves.
 */
export function idleWatermark({
  now,
  idleFor,
  latestEventTime,
  bound,
}: {
  now: number;
  idleFor: number;
  latestEventTime: number | null;
  bound: number;
}): number | null {
  if (latestEventTime === null) return null;
  return Math.min(now, latestEventTime + idleFor) - bound;
}

/** A DLQ message's value: the consumed bytes themselves, not a copy. */
function payloadBuffer(value: Uint8Array | string | null): Buffer | null {
  if (value === null) return null;
  if (typeof value === 'string') return Buffer.from(value);
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** No input and nothing closed: there is nothing to write. */
function isEmpty({ out, tally }: ProcessCut): boolean {
  return (
    tally.consumed === 0 && out.buckets.length === 0 && out.decisions.length === 0 && out.late.length === 0
  );
}

export interface ProcessSummary {
  readonly consumed: number;
  readonly stored: number;
  readonly dropped: number;
  readonly rejected: number;
  readonly buckets: number;
  readonly decisions: number;
  readonly checkpoints: number;
}

interface Totals {
  consumed: number;
  stored: number;
  dropped: number;
  rejected: number;
  buckets: number;
  decisions: number;
  checkpoints: number;
}

export async function runProcess(deps: ProcessDeps, options: ProcessOptions): Promise<ProcessSummary> {
  const { kafka, producer, clickhouse, logger } = deps;
  const { topics, clickhouse: chConfig, kafka: kafkaConfig } = options.config;
  const log = logger.child({ module: 'process' });
  const topic = topics.tweetsRaw;
  const groupId = options.groupId ?? 'sentiflow-process';
  const flushInputs = options.flushInputs ?? 20_000;
  const flushBytes = options.flushBytes ?? 16 * 1024 * 1024;
  const maxHeldBytes = options.maxHeldBytes ?? 64 * 1024 * 1024;
  /** Payload bytes pushed since the last cut. */
  let pendingBytes = 0;
  /** Payload bytes pushed whose flush is not durable yet (the rejected ones are kept for the DLQ). */
  let heldBytes = 0;
  const flushIntervalMs = options.flushIntervalMs ?? 1_000;
  const checkpointIntervalMs = options.checkpointIntervalMs ?? 10_000;
  const checkpointBytesPerSecond = options.checkpointBytesPerSecond ?? 1_000_000;
  /** Time between checkpoints: checkpointIntervalMs, or more for a big state. */
  let checkpointSpacingMs = checkpointIntervalMs;
  const key = { url: chConfig.url, groupId, topic };
  const insert = { url: chConfig.url, logger: log };

  // Read before the Kafka admin connects: a checkpoint that cannot be used ends the run with nothing
  // open to keep the process alive.
  const checkpoint = await loadCheckpoint<EngineSnapshot>(clickhouse, key);
  if (checkpoint !== null && checkpoint.state.version !== 1) {
    throw new RejectedError(
      'clickhouse',
      `checkpoint of ${groupId} has unknown version ${checkpoint.state.version}`,
    );
  }

  const admin = kafka.admin();
  let partitionOffsets: { partition: number; low: string; high: string }[];
  try {
    await admin.connect();
    partitionOffsets = await admin.fetchTopicOffsets(topic);
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw toKafkaError(
      error,
      `reading partitions of ${topic} (run: sentiflow topics create)`,
      kafkaConfig.brokers,
    );
  }
  const partitions = partitionOffsets.map((p) => p.partition).sort((a, b) => a - b);

  const engineOptions = { ...options.engine, partitions };
  const threads = options.scoreThreads;
  const engine: ProcessCore =
    threads !== undefined && threads.count > 0
      ? createThreadedCore({
          topic,
          threads,
          engine: engineOptions,
          ...(checkpoint ? { from: checkpoint.state } : {}),
          onFailure: (error) => failed(error),
        })
      : createInlineCore(engineOptions, checkpoint?.state);
  const next = new Map<number, bigint>(
    partitionOffsets.map((p) => [p.partition, BigInt(checkpoint?.offsets[String(p.partition)] ?? p.low)]),
  );
  let seq = checkpoint?.seq ?? 0;
  log.info(
    { groupId, partitions, resumedFrom: checkpoint ? Object.fromEntries(next) : 'beginning', seq },
    checkpoint ? 'resuming from checkpoint' : 'starting without checkpoint',
  );

  const totals: Totals = {
    consumed: 0,
    stored: 0,
    dropped: 0,
    rejected: 0,
    buckets: 0,
    decisions: 0,
    checkpoints: 0,
  };
  let lastCheckpointAt = Date.now();
  let lastInputAt = Date.now();
  let chain: Promise<void> = Promise.resolve();
  /** Runs flushes and checkpoints one at a time, in call order. */
  const serially = (work: () => Promise<void>): Promise<void> => {
    const run = chain.then(work);
    chain = run.catch(() => undefined);
    return run;
  };

  const retryCtx = { log, signal: options.signal };
  const write = (cut: ProcessCut): Promise<void> =>
    persistently('writing results', () => writeOnce(cut.out, cut.encoded), retryCtx);
  const writeOnce = async (out: EngineOutput, encoded: EncodedRows | null): Promise<void> => {
    await Promise.all([
      ...(encoded === null
        ? [
            insertRows(
              clickhouse,
              'intake',
              out.intake.map((r) => intakeRow(topic, r)),
              insert,
            ),
            insertRows(clickhouse, 'tweets', out.scored.flatMap(tweetRows), insert),
          ]
        : [
            insertTsv(clickhouse, 'intake', INTAKE_COLUMNS, encoded.intake, insert),
            insertRows(clickhouse, 'intake', encoded.intakeJson, insert),
            insertTsv(clickhouse, 'tweets', TWEET_COLUMNS, encoded.tweets, insert),
            insertRows(clickhouse, 'tweets', encoded.tweetsJson, insert),
          ]),
      insertRows(clickhouse, 'sentiment_hourly', out.buckets.map(bucketRow), insert),
      insertRows(clickhouse, 'signals', out.decisions.map(signalRow), insert),
      producer.send(
        topics.tweetsDlq,
        out.rejected.map(({ input, drop }) => ({
          key: `${topic}:${input.partition}:${input.offset}`,
          value: payloadBuffer(input.value),
          timestamp: input.timestamp,
          headers: {
            reason: drop.reason,
            stage: drop.stage,
            detail: drop.detail.slice(0, 500),
            source: `${topic}/${input.partition}/${input.offset}`,
          },
        })),
      ),
      producer.send(
        topics.signals,
        out.decisions.map((d) => ({ key: d.symbol, value: JSON.stringify(d), timestamp: d.decidedAt })),
      ),
    ]);
    if (deps.executeDecisions && out.decisions.length > 0) await deps.executeDecisions(out.decisions);
  };
  const count = ({ out, tally }: ProcessCut): void => {
    totals.consumed += tally.consumed;
    totals.stored += tally.stored;
    totals.dropped += tally.dropped;
    totals.rejected += tally.rejected;
    totals.buckets += out.buckets.length;
    totals.decisions += out.decisions.length;
    log.debug(
      {
        consumed: tally.consumed,
        stored: tally.stored,
        buckets: out.buckets.length,
        decisions: out.decisions.length,
      },
      'flushed',
    );
    deps.onFlush?.(out, tally);
  };

  const saveAndCommit = async ({
    state,
    offsets,
  }: {
    readonly state: EngineSnapshot;
    readonly offsets: Map<number, bigint>;
  }): Promise<void> => {
    seq++;
    const saved = Object.fromEntries([...offsets].map(([p, o]) => [String(p), o.toString()]));
    const length = await persistently(
      'saving a checkpoint',
      () => saveCheckpoint(clickhouse, key, { seq, offsets: saved, state }, insert),
      retryCtx,
    );
    checkpointSpacingMs = Math.max(checkpointIntervalMs, (length / checkpointBytesPerSecond) * 1000);
    const commits = [...offsets].map(([partition, o]) => ({ topic, partition, offset: o.toString() }));
    await persistently('committing offsets', () => consumer.commit(commits), retryCtx);
    totals.checkpoints++;
    log.debug({ seq, offsets: saved, stateBytes: length }, 'checkpoint committed');
    deps.onCommitted?.(offsets);
  };

  let dirty = false;
  let lastFlushAt = Date.now();
  let unfinished = 0;
  /** Flushes written at once in the background; more hold consumption back. */
  const maxUnfinished = threads !== undefined && threads.count > 0 ? 3 : 2;
  const unfinishedFlushes: Promise<void>[] = [];
  /** Settles when the oldest unfinished flush did (flushes finish in order). */
  const oldestFlush = (): Promise<void> => (unfinishedFlushes[0] ?? chain).catch(() => undefined);
  /**
   * Takes what the engine produced (and, when due, its state with the matching offsets) right now,
   * synchronously, and writes it in the background, in order. Consumption goes on meanwhile; the
   * checkpoint is saved and committed only after its output is durable.
   */
  const flush = (force: boolean, endOfInput = false): Promise<void> => {
    const hasOutput = engine.pendingInputs > 0 || engine.pendingOutput;
    const covered = pendingBytes;
    pendingBytes = 0;
    const due = force || (dirty && Date.now() - lastCheckpointAt >= checkpointSpacingMs);
    lastFlushAt = Date.now();
    if (due) {
      lastCheckpointAt = lastFlushAt;
      dirty = false;
    }
    if (!hasOutput && !due) return chain;
    // The cut covers every input pushed so far, and these are their offsets.
    const taken = engine.cut(due);
    const offsets = new Map(next);
    // End of input: close what is open, after the cut. Not checkpointed: a later run resumes before
    // it and rewrites these buckets whole (sentiment_hourly keeps the row with the larger count).
    if (endOfInput) engine.flushWindows();
    const closed = endOfInput ? engine.cut(false) : null;
    unfinished++;
    const flushed = serially(async () => {
      try {
        for (const cut of closed === null ? [await taken] : [await taken, await closed]) {
          if (isEmpty(cut)) continue;
          const started = performance.now();
          await write(cut);
          deps.onTiming?.('flush', (performance.now() - started) / 1000);
          count(cut);
        }
        const { state } = await taken;
        if (state !== null) await saveAndCommit({ state, offsets });
      } finally {
        unfinished--;
        heldBytes -= covered;
        unfinishedFlushes.shift();
      }
    });
    unfinishedFlushes.push(flushed);
    return flushed;
  };
  /** Starts a flush without waiting for it; its failure stops the process. */
  const flushInBackground = (): void => {
    flush(false).catch((error: unknown) => failed(error));
  };

  const consumer = await createBatchConsumer(kafka, {
    brokers: kafkaConfig.brokers,
    groupId,
    topics: [topic],
    logger: log,
    commitMode: 'manual',
    sessionTimeoutMs: kafkaConfig.sessionTimeoutMs,
    ...(options.fetchBytes === undefined
      ? {}
      : { maxBytesPerPartition: options.fetchBytes, maxBytes: options.fetchBytes }),
    onAssignment(assigned) {
      const missing = partitions.filter((p) => !assigned.includes(p));
      if (missing.length > 0) {
        log.warn({ missing }, 'another member holds some partitions: the window waits for their watermarks');
      }
      for (const partition of assigned) {
        consumer.seek({ topic, partition, offset: (next.get(partition) ?? 0n).toString() });
      }
    },
  }).catch(async (error: unknown) => {
    await engine.close();
    await admin.disconnect().catch(() => undefined);
    throw error;
  });

  let stopping = false;
  let resolveIdle!: () => void;
  const idle = new Promise<void>((resolve) => {
    resolveIdle = resolve;
  });

  /**
   * Holds consumption while writes or score threads fall behind (or wait out an outage), or while more
   * input bytes than allowed are not durable yet; keeps the group membership alive meanwhile.
   */
  const holdBack = async (context: BatchContext): Promise<void> => {
    if (heldBytes >= maxHeldBytes && pendingBytes > 0) flushInBackground();
    const mustWait = (): boolean =>
      unfinished >= maxUnfinished || (heldBytes >= maxHeldBytes && unfinished > 0);
    const room = engine.room();
    if (room === null && !mustWait()) return;
    const beat = setInterval(() => void context.heartbeat().catch(() => undefined), 3_000);
    try {
      await room;
      while (mustWait()) await oldestFlush();
    } finally {
      clearInterval(beat);
    }
  };

  let inFlight: Promise<void> = Promise.resolve();
  const handle = async (batch: ConsumedBatch, context: BatchContext): Promise<void> => {
    if (stopping) return; // not pushed, not committed: the next run reads it again
    const work = (async () => {
      const started = performance.now();
      const { partition, messages } = batch;
      const from = next.get(partition) ?? 0n;
      let at = 0;
      // Fetched before a seek: already processed.
      while (at < messages.length && BigInt(messages[at]!.offset) < from) at++;
      // In slices that fill the next flush, so a fetch of big (or highly compressed) payloads is
      // flushed piecewise and held to maxHeldBytes; a stop between slices commits what was pushed.
      while (at < messages.length && !stopping) {
        let end = at;
        let bytes = 0;
        do bytes += messages[end++]!.value?.length ?? 0;
        while (end < messages.length && pendingBytes + bytes < flushBytes);
        const slice = at === 0 && end === messages.length ? messages : messages.slice(at, end);
        engine.push(partition, slice);
        pendingBytes += bytes;
        heldBytes += bytes;
        next.set(partition, BigInt(slice[slice.length - 1]!.offset) + 1n);
        at = end;
        lastInputAt = Date.now();
        dirty = true;
        if (engine.pendingInputs >= flushInputs || pendingBytes >= flushBytes) flushInBackground();
        await holdBack(context);
      }
      deps.onTiming?.('batch', (performance.now() - started) / 1000);
    })();
    inFlight = work.catch(() => undefined);
    await work;
  };
  await consumer.run(handle).catch(async (error: unknown) => {
    await engine.close();
    await consumer.stop().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    throw error;
  });

  /** True when every partition was read up to its end; an unreachable broker just means "not yet". */
  const drained = async (): Promise<boolean> => {
    try {
      const now = await admin.fetchTopicOffsets(topic);
      return now.every((p) => (next.get(p.partition) ?? 0n) >= BigInt(p.high));
    } catch {
      return false;
    }
  };

  const tick = async (): Promise<void> => {
    if (stopping) return;
    const idleFor = Date.now() - lastInputAt;
    if (options.idleWatermarkMs !== undefined && idleFor >= options.idleWatermarkMs) {
      const bound = options.engine.window?.maxOutOfOrdernessMs ?? 0;
      const time = idleWatermark({
        now: Date.now(),
        idleFor,
        latestEventTime: engine.latestEventTime,
        bound,
      });
      if (time !== null) engine.advanceWatermark(time);
    }
    const checkpointDue = dirty && Date.now() - lastCheckpointAt >= checkpointSpacingMs;
    const waiting = engine.pendingInputs > 0 || engine.pendingOutput;
    if ((waiting && Date.now() - lastFlushAt >= flushIntervalMs) || checkpointDue) {
      flushInBackground();
    }
    if (options.exitWhenIdle && idleFor >= 200 && (await drained())) {
      // Everything is read: the final flush writes what is still pending, checkpoints and commits.
      resolveIdle();
    }
  };
  const timer = setInterval(
    () => {
      tick().catch((error: unknown) => failed(error));
    },
    Math.min(flushIntervalMs, 250),
  );

  let failure: unknown;
  function failed(error: unknown): void {
    failure ??= error;
    resolveIdle();
  }
  consumer.done.catch(failed);
  options.signal?.addEventListener('abort', () => resolveIdle(), { once: true });
  if (options.signal?.aborted) resolveIdle();

  await idle;
  stopping = true;
  clearInterval(timer);
  try {
    await inFlight;
    await chain;
    if (failure !== undefined) throw failure;
    // Still a group member here, so the final commit goes through; it comes last, so every row is
    // written by then.
    await flush(true, options.exitWhenIdle === true && !options.signal?.aborted);
  } finally {
    await engine.close();
    await consumer.stop().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  log.info({ ...totals }, 'process stopped');
  return { ...totals };
}
