/**
 * A runtime world in memory: tweets.raw as arrays per partition, the group's committed offsets, the
 * tables and checkpoints that outlive a run — so a test can run `process` (or a split stage, or a
 * replay), kill it anywhere, run it again and compare the tables with an uninterrupted run's.
 */
import { pino } from 'pino';
import { createScoringModel, createStrategy, type RawEnvelope } from '../../../operators/index.js';
import { scoreChain, windowChain } from '../../../pipeline/runtime/chain.js';
import type { ChainModule } from '../../../pipeline/runtime/chain-module.js';
import type { ChainSettings } from '../../../pipeline/runtime/chain-settings.js';
import { scoreSettingsOf, windowSettingsOf } from '../../../pipeline/runtime/chain-settings.js';
import type { CheckpointStore } from '../../../pipeline/runtime/checkpoint.js';
import { createMemoryDriver } from '../../../pipeline/runtime/drivers/memory.js';
import type { InputMessage } from '../../../pipeline/runtime/message.js';
import type { OutputWriter } from '../../../pipeline/runtime/output/table-writer.js';
import { type RunSummary, runRuntime } from '../../../pipeline/runtime/runner.js';
import { type RuntimeSettings, runtimeSettings } from '../../../pipeline/runtime/settings.js';
import type { Topology } from '../../../pipeline/runtime/topology/topology.js';
import { createWholeChain } from '../../../pipeline/runtime/topology/whole-chain.js';
import { generateEnvelopes } from '../../../pipeline/sources/synthetic.js';

export const TOPIC = 'tweets.raw';
export const silent = pino({ level: 'silent' });
export const CHAIN: ChainModule = { scoreChain, windowChain };

/** The chain's settings, with dedupe memories small enough for many runs (and checkpoints) per test. */
export const engine = (): ChainSettings => ({
  scoring: createScoringModel(),
  strategy: createStrategy('zscore', 'lookback=3'),
  dedupe: { maxIds: 4_000, maxTexts: 2_000 },
});

/**
 * Synthetic envelopes dealt over `partitions`, with a broken payload and a tombstone now and then;
 * `reshape` may change the n-th envelope (e.g. text that is awkward to encode).
 */
export function inputs(
  seed: number,
  count: number,
  partitions = 3,
  reshape: (e: RawEnvelope, n: number) => RawEnvelope = (e) => e,
): InputMessage[][] {
  const out: InputMessage[][] = Array.from({ length: partitions }, () => []);
  let n = 0;
  for (const e of generateEnvelopes({
    seed,
    count,
    startTime: Date.UTC(2026, 0, 1),
    tweetsPerSecond: 0.25,
    maxJitterMs: 14 * 60_000,
  })) {
    const p = n++ % partitions;
    const value = n % 97 === 0 ? '{"broken' : n % 131 === 0 ? null : JSON.stringify(reshape(e, n));
    out[p]!.push({
      partition: p,
      offset: String(out[p]!.length),
      value: value === null ? null : Buffer.from(value),
      timestamp: Date.parse(e.data.created_at ?? '') || 0,
    });
  }
  return out;
}

export interface RunWorld {
  readonly partitions: readonly (readonly InputMessage[])[];
  readonly committed: Map<number, bigint>;
  readonly writer: OutputWriter;
  readonly store: CheckpointStore | null;
}

/** One run of the whole chain over the world until its input is drained (or it dies). */
export function runWhole(
  world: RunWorld,
  options: {
    readonly settings?: Partial<RuntimeSettings>;
    readonly topology?: (sources: readonly number[]) => Topology;
    readonly batchSize?: number;
    readonly beforeCommit?: (offsets: ReadonlyMap<number, bigint>) => void;
  } = {},
): Promise<RunSummary> {
  const sources = world.partitions.map((_, p) => p);
  const settings = engine();
  const topology =
    options.topology?.(sources) ??
    createWholeChain({
      chain: CHAIN,
      score: scoreSettingsOf(settings),
      window: windowSettingsOf(settings, sources),
      collector: { topic: TOPIC, rows: true },
    });
  return runRuntime({
    name: 'process',
    driver: createMemoryDriver({
      partitions: world.partitions,
      committed: world.committed,
      batchSize: options.batchSize ?? 50,
      ...(options.beforeCommit ? { beforeCommit: options.beforeCommit } : {}),
    }),
    topology,
    topic: TOPIC,
    writer: world.writer,
    store: world.store,
    // Cuts by count only, each with a checkpoint: the same steps in every run of the same input.
    settings: runtimeSettings({
      flushInputs: 300,
      flushIntervalMs: 60_000,
      checkpointIntervalMs: 0,
      checkpointBytesPerSecond: 1e15,
      drainCheckMs: 5,
      ...options.settings,
    }),
    exitWhenIdle: true,
    log: silent,
    backoffMs: 1,
  });
}
