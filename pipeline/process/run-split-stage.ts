/**
 * The runner shared by the split stages of `process` (`--stage score`, `--stage window`): a consumer
 * group over one topic whose state lives per input partition, so a rebalance moves a partition together
 * with its state.
 *
 * Per partition p: on the first batch after p is assigned, p's checkpoint (state + next offset, in
 * ClickHouse `process_checkpoints` under topic `<topic>#<p>`) is loaded and consumption resumes exactly
 * there. Every flush writes what the partitions produced (idempotent writes), then saves the due
 * checkpoints, then commits those offsets: the order of durability of `process --stage all`, per
 * partition. A revoked partition's state is dropped; its new owner resumes from its checkpoint.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { type Checkpoint, loadCheckpoint, saveCheckpoint } from '../../sinks/clickhouse/checkpoints.js';
import type { ClickHouseClient } from '../../sinks/clickhouse/client.js';
import { type ConsumedMessage, createBatchConsumer } from '../../sinks/kafka/consumer.js';
import { toKafkaError } from '../../sinks/kafka/errors.js';
import { persistently } from './persistently.js';

/** One input partition's share of a stage: pure state fed message by message. */
export interface PartitionWork<Out, State> {
  push(message: ConsumedMessage): void;
  drain(): Out;
  snapshot(): State;
  readonly pendingInputs: number;
}

export interface SplitStage<Out, State> {
  readonly name: string;
  /** Input topic. */
  readonly topic: string;
  readonly groupId: string;
  /** A partition's work, from its checkpointed state (undefined: from the beginning). */
  create(partition: number, from: State | undefined): PartitionWork<Out, State>;
  /** Makes one flush's outputs durable; must be idempotent (replays write them again). */
  write(outs: readonly Out[]): Promise<void>;
  /** Observes outputs once durable (totals, metrics). */
  count(out: Out): void;
  /**
   * Live, after `idleWatermarkMs` without input: outputs that move the watermark of the partitions this
   * member holds to `time` (wall clock), or null when the stage has none.
   */
  idle?(partitions: readonly number[], time: number): Out | null;
  /** End of input: what a partition's final state still holds back (e.g. open buckets), or null. */
  finish?(partition: number, from: State | undefined): Out | null;
}

export interface SplitRunOptions {
  readonly brokers: readonly string[];
  /** The consumer group session (KAFKA_SESSION_TIMEOUT_MS): how soon a dead member's partitions move. */
  readonly sessionTimeoutMs?: number;
  readonly clickhouseUrl: string;
  /** Stop once every partition of the topic is consumed and committed by the group, then `finish`. */
  readonly exitWhenIdle?: boolean;
  readonly flushInputs?: number;
  readonly flushIntervalMs?: number;
  readonly checkpointIntervalMs?: number;
  /** Live only: after this long without input, `stage.idle` moves the watermark by wall-clock time. */
  readonly idleWatermarkMs?: number;
  readonly signal?: AbortSignal;
}

export interface SplitRunDeps {
  readonly kafka: Kafka;
  readonly clickhouse: ClickHouseClient;
  readonly logger: Logger;
  readonly onTiming?: (what: 'batch' | 'flush', seconds: number) => void;
  /** Observes this member's partitions after every rebalance (metrics, tests). */
  readonly onAssignment?: (partitions: readonly number[]) => void;
}

export interface SplitRunSummary {
  readonly consumed: number;
  readonly checkpoints: number;
}

interface PartitionCheckpoint<State> {
  readonly partition: number;
  readonly work: PartitionWork<unknown, State>;
  readonly state: State;
  readonly offset: bigint;
}

export async function runSplitStage<Out, State>(
  deps: SplitRunDeps,
  stage: SplitStage<Out, State>,
  options: SplitRunOptions,
): Promise<SplitRunSummary> {
  const { kafka, clickhouse } = deps;
  const { topic, groupId } = stage;
  const log = deps.logger.child({ module: `process-${stage.name}` });
  const ctx = { log, signal: options.signal };
  const flushInputs = options.flushInputs ?? 20_000;
  const flushIntervalMs = options.flushIntervalMs ?? 1_000;
  const checkpointIntervalMs = options.checkpointIntervalMs ?? 10_000;
  const keyOf = (p: number) => ({ url: options.clickhouseUrl, groupId, topic: `${topic}#${p}` });

  const admin = kafka.admin();
  let partitions: number[];
  const low = new Map<number, bigint>();
  try {
    await admin.connect();
    for (const p of await admin.fetchTopicOffsets(topic)) low.set(p.partition, BigInt(p.low));
    partitions = [...low.keys()].sort((a, b) => a - b);
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw toKafkaError(
      error,
      `reading partitions of ${topic} (run: sentiflow topics create)`,
      options.brokers,
    );
  }

  const load = async (p: number): Promise<Checkpoint<State> | null> => {
    let found: Checkpoint<State> | null = null;
    await persistently(
      'loading a checkpoint',
      async () => {
        found = await loadCheckpoint<State>(clickhouse, keyOf(p));
      },
      ctx,
    );
    return found;
  };

  const works = new Map<number, PartitionWork<Out, State>>();
  const next = new Map<number, bigint>();
  const seqs = new Map<number, number>();
  const dirty = new Set<number>();
  let owned = new Set<number>();
  let consumed = 0;
  let checkpoints = 0;
  let pendingInputs = 0;
  let lastCheckpointAt = Date.now();
  let lastFlushAt = Date.now();
  let lastInputAt = Date.now();
  let unfinished = 0;
  let chain: Promise<void> = Promise.resolve();
  const serially = (work: () => Promise<void>): Promise<void> => {
    const run = chain.then(work);
    chain = run.catch(() => undefined);
    return run;
  };

  const saveAndCommit = async (due: readonly PartitionCheckpoint<State>[]): Promise<void> => {
    // A partition that moved away (or came back as new work) since the snapshot belongs to its new work.
    const mine = due.filter((c) => owned.has(c.partition) && works.get(c.partition) === c.work);
    await Promise.all(
      mine.map((c) => {
        const seq = (seqs.get(c.partition) ?? 0) + 1;
        seqs.set(c.partition, seq);
        const offsets = { [String(c.partition)]: c.offset.toString() };
        return persistently(
          'saving a checkpoint',
          () =>
            saveCheckpoint(clickhouse, keyOf(c.partition), { seq, offsets, state: c.state }, { logger: log }),
          ctx,
        );
      }),
    );
    const commits = mine.map((c) => ({ topic, partition: c.partition, offset: c.offset.toString() }));
    await persistently('committing offsets', () => consumer.commit(commits), ctx);
    checkpoints += mine.length;
  };

  /** Takes the partitions' outputs (and due checkpoints) now; writes them in the background, in order. */
  const flush = (force: boolean): Promise<void> => {
    const outs: Out[] = [];
    for (const p of [...works.keys()].sort((a, b) => a - b)) {
      const work = works.get(p)!;
      if (work.pendingInputs > 0) outs.push(work.drain());
    }
    pendingInputs = 0;
    lastFlushAt = Date.now();
    const due = force || (dirty.size > 0 && lastFlushAt - lastCheckpointAt >= checkpointIntervalMs);
    const taken: PartitionCheckpoint<State>[] = [];
    if (due) {
      for (const [partition, work] of works) {
        if (force || dirty.has(partition))
          taken.push({ partition, work, state: work.snapshot(), offset: next.get(partition)! });
      }
      dirty.clear();
      lastCheckpointAt = lastFlushAt;
    }
    if (outs.length === 0 && taken.length === 0) return chain;
    unfinished++;
    return serially(async () => {
      try {
        if (outs.length > 0) {
          const started = performance.now();
          await persistently('writing results', () => stage.write(outs), ctx);
          deps.onTiming?.('flush', (performance.now() - started) / 1000);
          for (const out of outs) stage.count(out);
        }
        if (taken.length > 0) await saveAndCommit(taken);
      } finally {
        unfinished--;
      }
    });
  };
  const flushInBackground = (): void => {
    flush(false).catch((error: unknown) => failed(error));
  };

  const consumer = await createBatchConsumer(kafka, {
    brokers: options.brokers,
    groupId,
    topics: [topic],
    logger: log,
    commitMode: 'manual',
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    onAssignment(assigned) {
      owned = new Set(assigned);
      for (const p of [...works.keys()]) {
        if (owned.has(p)) continue;
        works.delete(p);
        next.delete(p);
        dirty.delete(p);
      }
      log.info({ partitions: assigned }, 'assigned partitions: each resumes from its own checkpoint');
      deps.onAssignment?.(assigned);
    },
  });

  let stopping = false;
  let resolveIdle!: () => void;
  const idle = new Promise<void>((resolve) => {
    resolveIdle = resolve;
  });
  let failure: unknown;
  function failed(error: unknown): void {
    failure ??= error;
    resolveIdle();
  }

  let inFlight: Promise<void> = Promise.resolve();
  await consumer.run(async (batch, context) => {
    if (stopping) return; // not pushed, not committed: read again next time
    const work = (async () => {
      const started = performance.now();
      const p = batch.partition;
      const first = batch.messages[0];
      if (!owned.has(p) || first === undefined) return;
      let target = next.get(p);
      if (target === undefined) {
        const checkpoint = await load(p);
        if (!owned.has(p) || stopping) return;
        works.set(p, stage.create(p, checkpoint?.state));
        seqs.set(p, checkpoint?.seq ?? 0);
        const resume = BigInt(checkpoint?.offsets[String(p)] ?? first.offset);
        target = resume > (low.get(p) ?? 0n) ? resume : (low.get(p) ?? 0n);
        next.set(p, target);
        log.info({ partition: p, offset: target.toString(), seq: checkpoint?.seq ?? 0 }, 'partition loaded');
      }
      if (BigInt(first.offset) > target) {
        // Fetched from a committed offset past the checkpoint: go back to where the state is.
        consumer.seek({ topic, partition: p, offset: target.toString() });
        return;
      }
      const partitionWork = works.get(p)!;
      for (const m of batch.messages) {
        const offset = BigInt(m.offset);
        if (offset < next.get(p)!) continue; // fetched before a seek: already processed
        partitionWork.push(m);
        next.set(p, offset + 1n);
        pendingInputs++;
        consumed++;
      }
      dirty.add(p);
      lastInputAt = Date.now();
      if (pendingInputs >= flushInputs) flushInBackground();
      if (unfinished >= 2) {
        const beat = setInterval(() => void context.heartbeat().catch(() => undefined), 3_000);
        try {
          await chain;
        } finally {
          clearInterval(beat);
        }
      }
      deps.onTiming?.('batch', (performance.now() - started) / 1000);
    })();
    inFlight = work.catch(() => undefined);
    await work;
  });

  /** Every partition consumed to its end: by us (held) or, as committed, by the group. */
  const drained = async (): Promise<boolean> => {
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const at = new Map((committed?.partitions ?? []).map((c) => [c.partition, BigInt(c.offset)] as const));
      return ends.every((e) => {
        const position = next.get(e.partition) ?? at.get(e.partition) ?? -1n;
        return position >= BigInt(e.high) || BigInt(e.low) === BigInt(e.high);
      });
    } catch {
      return false;
    }
  };

  let lastIdleAt = 0;
  /** Sends the stage's idle outputs (at most once a second), in order with the flushes. */
  const idleAdvance = (): void => {
    const now = Date.now();
    if (options.idleWatermarkMs === undefined || stage.idle === undefined || pendingInputs > 0) return;
    if (now - lastInputAt < options.idleWatermarkMs || now - lastIdleAt < 1_000) return;
    lastIdleAt = now;
    const out = stage.idle(
      [...owned].sort((a, b) => a - b),
      now,
    );
    if (out === null) return;
    unfinished++;
    serially(async () => {
      try {
        await persistently('writing results', () => stage.write([out]), ctx);
        stage.count(out);
      } finally {
        unfinished--;
      }
    }).catch((error: unknown) => failed(error));
  };

  const tick = async (): Promise<void> => {
    if (stopping) return;
    idleAdvance();
    const checkpointDue = dirty.size > 0 && Date.now() - lastCheckpointAt >= checkpointIntervalMs;
    if ((pendingInputs > 0 && Date.now() - lastFlushAt >= flushIntervalMs) || checkpointDue)
      flushInBackground();
    if (
      options.exitWhenIdle &&
      pendingInputs === 0 &&
      unfinished === 0 &&
      Date.now() - lastInputAt >= 200 &&
      (await drained())
    )
      resolveIdle();
  };
  const timer = setInterval(
    () => {
      tick().catch((error: unknown) => failed(error));
    },
    Math.min(flushIntervalMs, 250),
  );
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
    await flush(true);
    if (options.exitWhenIdle && !options.signal?.aborted && stage.finish) {
      // End of input: every partition's newest checkpoint is at its end. Each instance finishes every
      // partition (not only its own: ownership moves as members leave); the writes are idempotent.
      // Not checkpointed: a later run resumes before this and rewrites what it closed.
      const finishing = stage.finish.bind(stage);
      const outs: Out[] = [];
      for (const p of partitions) {
        const out = finishing(p, (await load(p))?.state);
        if (out !== null) outs.push(out);
      }
      await persistently('writing results', () => stage.write(outs), ctx);
      for (const out of outs) stage.count(out);
    }
  } finally {
    await consumer.stop().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  log.info({ consumed, checkpoints }, `process --stage ${stage.name} stopped`);
  return { consumed, checkpoints };
}
