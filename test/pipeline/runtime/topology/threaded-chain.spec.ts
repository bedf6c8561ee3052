/**
 * Score threads decide what the whole chain on one thread decides: same intake and tweets rows, buckets,
 * decisions, late tweets and DLQ messages, and a cut taken mid-stream is a consistent checkpoint a new
 * set of threads resumes from.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createScoringModel, createStrategy, type ScoringOptions } from '../../../../operators/index.js';
import type { RawEnvelope } from '../../../../operators/types.js';
import { scoreChain, windowChain } from '../../../../pipeline/runtime/chain.js';
import { DEFAULT_CHAIN_MODULE } from '../../../../pipeline/runtime/chain-module.js';
import {
  type ChainSettings,
  scoreSettingsOf,
  windowSettingsOf,
} from '../../../../pipeline/runtime/chain-settings.js';
import type { GroupState } from '../../../../pipeline/runtime/checkpoint.js';
import type { InputMessage } from '../../../../pipeline/runtime/message.js';
import type { TableRows } from '../../../../pipeline/runtime/output/formats.js';
import { createThreadedChain } from '../../../../pipeline/runtime/topology/threaded-chain.js';
import type { Topology, TopologyCut } from '../../../../pipeline/runtime/topology/topology.js';
import { createWholeChain } from '../../../../pipeline/runtime/topology/whole-chain.js';
import { jsonPieces } from '../../../../sinks/clickhouse/checkpoints.js';
import { tsvLines } from '../../../support/runtime-memory.js';
import { inputs } from '../world.js';

/** A state as its checkpoint stores it (threads hand dedupe columns over in typed arrays). */
const stored = (state: unknown): unknown => JSON.parse([...jsonPieces(state, 4)].join(''));

const PARTITIONS = [0, 1, 2];
const TOPIC = 'tweets.raw';
const SCORING: ScoringOptions = {};
const settings: ChainSettings = {
  scoring: createScoringModel(SCORING),
  strategy: createStrategy('zscore', 'lookback=3'),
};
const collector = { topic: TOPIC, rows: true };
const open: Topology[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function whole(from?: GroupState): Topology {
  const chain = createWholeChain({
    chain: { scoreChain, windowChain },
    score: scoreSettingsOf(settings),
    window: windowSettingsOf(settings, PARTITIONS),
    collector,
  });
  chain.open(TOPIC, PARTITIONS, from);
  open.push(chain);
  return chain;
}

function threaded(from?: GroupState): Topology {
  const chain = createThreadedChain({
    windowChain,
    chainModule: DEFAULT_CHAIN_MODULE,
    threads: 2,
    score: { scoring: SCORING },
    window: windowSettingsOf(settings, PARTITIONS),
    collector,
  });
  chain.watch?.((error) => {
    throw error;
  });
  chain.open(TOPIC, PARTITIONS, from);
  open.push(chain);
  return chain;
}

/** Strings TSV must escape, and a lone surrogate it cannot carry (that row goes as JSON). */
function awkward(e: RawEnvelope, n: number): RawEnvelope {
  const extras = [' tab\there', ' line\nbreak', ' back\\slash', " it's", ' cr\rhere', ' 🚀🌕'];
  const tags = [`tag's \\ x\ty`, '[a,b]', 'lone \ud83d'];
  return {
    ...e,
    data: { ...e.data, text: `${e.data.text ?? ''}${extras[n % extras.length]}` },
    ...(e.matching_rules
      ? { matching_rules: e.matching_rules.map((r) => ({ ...r, tag: tags[n % tags.length]! })) }
      : {}),
  };
}

const messagesByPartition = (seed: number, count: number): InputMessage[][] =>
  inputs(seed, count, PARTITIONS.length, (e, n) => (n % 13 === 0 ? awkward(e, n) : e));

/** Batches of varying size, partitions interleaved the same way for every topology. */
function batches(byPartition: InputMessage[][]): { partition: number; messages: InputMessage[] }[] {
  const at = byPartition.map(() => 0);
  const out: { partition: number; messages: InputMessage[] }[] = [];
  for (let i = 0; ; i++) {
    const p = i % byPartition.length;
    if (at.every((a, q) => a >= byPartition[q]!.length)) return out;
    const size = 1 + ((i * 37) % 90);
    const messages = byPartition[p]!.slice(at[p], at[p]! + size);
    at[p]! += messages.length;
    if (messages.length > 0) out.push({ partition: p, messages });
  }
}

/** A table's rows, whatever order the threads encoded them in: TSV lines and JSON rows, sorted. */
function rowsOf({ tsv, json }: TableRows) {
  return {
    tsv: tsvLines(tsv).sort(),
    json: json.map((row) => JSON.stringify(row)).sort(),
  };
}

/** What a cut wrote and counted, comparable between the whole and the threaded chain. */
function decided({ batch }: TopologyCut) {
  return {
    tally: { ...batch.tally, reasons: [...batch.tally.reasons].sort() },
    tweets: rowsOf(batch.tweets),
    intake: rowsOf(batch.intake),
    buckets: batch.buckets,
    decisions: batch.decisions,
    late: batch.late,
    dlq: batch.dlq,
  };
}

const stateOf = (cut: TopologyCut): unknown => stored(cut.states.get(TOPIC));

describe('the threaded chain', { timeout: 60_000 }, () => {
  it('decides, cuts and encodes exactly what the whole chain does', async () => {
    const one = whole();
    const threads = threaded();
    const plan = batches(messagesByPartition(11, 3_000));
    const cuts: [TopologyCut, TopologyCut][] = [];
    for (const [i, b] of plan.entries()) {
      one.push(b.partition, b.messages);
      threads.push(b.partition, b.messages);
      if (i % 7 === 3) {
        const keys = i % 14 === 3 ? [TOPIC] : [];
        cuts.push([await one.cut(keys), await threads.cut(keys)]);
      }
    }
    one.finish();
    threads.finish();
    cuts.push([await one.cut([TOPIC]), await threads.cut([TOPIC])]);

    for (const [a, b] of cuts) {
      expect(decided(b)).toEqual(decided(a));
      expect(stateOf(b)).toEqual(stateOf(a));
    }
    const written = cuts.map(([, b]) => b.batch);
    expect(written.flatMap((b) => b.buckets).length).toBeGreaterThan(20);
    expect(written.flatMap((b) => b.dlq).length).toBeGreaterThan(20);
    expect(written.flatMap((b) => rowsOf(b.tweets).tsv).length).toBeGreaterThan(1_000);
    expect(written.flatMap((b) => b.tweets.json).length).toBeGreaterThan(0); // a lone surrogate in a rule tag
    expect(cuts.filter(([a]) => a.states.has(TOPIC)).length).toBeGreaterThan(5);
  });

  it('resumes from a mid-stream cut as the whole chain resumes from its state', async () => {
    const plan = batches(messagesByPartition(5, 2_400));
    const half = Math.floor(plan.length / 2);
    const first = threaded();
    for (const b of plan.slice(0, half)) first.push(b.partition, b.messages);
    const state = (await first.cut([TOPIC])).states.get(TOPIC)!;

    const wholeRest = whole(state);
    const threadRest = threaded(state);
    for (const b of plan.slice(half)) {
      wholeRest.push(b.partition, b.messages);
      threadRest.push(b.partition, b.messages);
    }
    wholeRest.finish();
    threadRest.finish();
    const [a, b] = [await wholeRest.cut([TOPIC]), await threadRest.cut([TOPIC])];
    expect(decided(b)).toEqual(decided(a));
    expect(stateOf(b)).toEqual(stateOf(a));

    // And equal to one uninterrupted whole chain's second half.
    const uninterrupted = whole();
    for (const batch of plan.slice(0, half)) uninterrupted.push(batch.partition, batch.messages);
    await uninterrupted.cut([]);
    for (const batch of plan.slice(half)) uninterrupted.push(batch.partition, batch.messages);
    uninterrupted.finish();
    const all = await uninterrupted.cut([TOPIC]);
    expect(b.batch.buckets).toEqual(all.batch.buckets);
    expect(stateOf(b)).toEqual(stateOf(all));
  });

  it('reports a partition it does not own', () => {
    const threads = threaded();
    expect(() => threads.push(7, [{ partition: 7, offset: '0', value: null, timestamp: 0 }])).toThrow(
      RangeError,
    );
  });
});
