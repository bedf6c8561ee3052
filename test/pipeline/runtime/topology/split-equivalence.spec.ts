/**
 * The split stages decide what the whole chain decides: same buckets, decisions and late tweets,
 * whatever the interleaving of source partitions (in the whole chain and in every tweets.scored
 * partition) and when the score stage replays part of a partition after a restart.
 */
import { describe, expect, it } from 'vitest';
import {
  type Bucket,
  createScoringModel,
  createStrategy,
  type Decision,
} from '../../../../operators/index.js';
import { scoreChain, windowChain } from '../../../../pipeline/runtime/chain.js';
import {
  type ChainSettings,
  scoreSettingsOf,
  windowSettingsOf,
} from '../../../../pipeline/runtime/chain-settings.js';
import type { InputMessage } from '../../../../pipeline/runtime/message.js';
import type { OutputBatch } from '../../../../pipeline/runtime/output/collector.js';
import { createScoreStage } from '../../../../pipeline/runtime/topology/score-stage.js';
import { groupKey } from '../../../../pipeline/runtime/topology/topology.js';
import { createWholeChain } from '../../../../pipeline/runtime/topology/whole-chain.js';
import { createWindowStage } from '../../../../pipeline/runtime/topology/window-stage.js';
import { generateEnvelopes } from '../../../../pipeline/sources/synthetic.js';
import { createRandom } from '../../../../pipeline/sources/synthetic-random.js';
import { silent } from '../world.js';

const SOURCES = [0, 1, 2];
const TARGETS = [0, 1];
const RAW = 'tweets.raw';
const SCORED = 'tweets.scored';
const scoring = createScoringModel();
const STRATEGIES = [
  { strategy: createStrategy('zscore', 'lookback=3'), features: false },
  // Sentiment and volume z-scores from the symbol's own buckets: the same in every stage layout.
  {
    strategy: createStrategy(
      'surge',
      'lookback=3,minHistory=2,minCount=1,threshold=0.3,volumeThreshold=0,cooldown=0',
    ),
    features: true,
  },
];

/** Merges sequences at random, keeping each one's order. */
function interleave<T>(lists: readonly (readonly T[])[], rand: () => number): T[] {
  const at = lists.map(() => 0);
  const out: T[] = [];
  for (;;) {
    const open = lists.flatMap((l, i) => (at[i]! < l.length ? [i] : []));
    if (open.length === 0) return out;
    const i = open[Math.floor(rand() * open.length)]!;
    out.push(lists[i]![at[i]!++]!);
  }
}

function inputsBySource(seed: number): InputMessage[][] {
  const bySource: InputMessage[][] = SOURCES.map(() => []);
  let n = 0;
  for (const e of generateEnvelopes({
    seed,
    count: 1_500,
    startTime: Date.UTC(2026, 0, 1),
    tweetsPerSecond: 0.25,
    maxJitterMs: 14 * 60_000,
  })) {
    const p = n++ % SOURCES.length;
    const value = n % 97 === 0 ? '{"broken' : JSON.stringify(e);
    bySource[p]!.push({
      partition: p,
      offset: String(bySource[p]!.length),
      value: Buffer.from(value),
      timestamp: Date.parse(e.data.created_at ?? '') || 0,
    });
  }
  return bySource;
}

const bucketKey = (b: Bucket) => `${b.symbol}@${b.start}`;
const sortBuckets = (bs: Bucket[]) => [...bs].sort((a, b) => bucketKey(a).localeCompare(bucketKey(b)));
const sortDecisions = (ds: Decision[]) => [...ds].sort((a, b) => a.id.localeCompare(b.id));

function decided(batches: readonly OutputBatch[]) {
  return {
    buckets: sortBuckets(batches.flatMap((b) => b.buckets)),
    decisions: sortDecisions(batches.flatMap((b) => b.decisions)),
    late: [...new Set(batches.flatMap((b) => b.late.map((d) => d.tweetId)))].sort(),
  };
}

async function whole(bySource: InputMessage[][], rand: () => number, settings: ChainSettings) {
  const chain = createWholeChain({
    chain: { scoreChain, windowChain },
    score: scoreSettingsOf(settings),
    window: windowSettingsOf(settings, SOURCES),
    collector: { topic: RAW, rows: false },
  });
  chain.open(RAW, SOURCES, undefined);
  for (const input of interleave(bySource, rand)) chain.push(input.partition, [input]);
  chain.finish();
  return decided([(await chain.cut([])).batch]);
}

async function split(bySource: InputMessage[][], rand: () => number, settings: ChainSettings) {
  const targetOf = (symbol: string) => [...symbol].reduce((h, c) => h + c.charCodeAt(0), 0) % TARGETS.length;
  // Per source: what its score stage sends to each tweets.scored partition, cut by cut.
  const sent: string[][][] = [];
  for (const p of SOURCES) {
    const stage = createScoreStage({
      scoreChain,
      score: scoreSettingsOf(settings),
      topic: RAW,
      scoredPartitions: TARGETS,
      collector: { topic: RAW, rows: false },
    });
    stage.open(groupKey(RAW, p), [p], undefined);
    const toTarget: string[][] = TARGETS.map(() => []);
    const cut = async () => {
      const { batch } = await stage.cut([]);
      for (const m of batch.repartition) {
        toTarget[m.partition ?? targetOf(m.key!)]!.push(m.value as string);
      }
    };
    for (const input of bySource[p]!) {
      stage.push(p, [input]);
      if (rand() < 0.05) await cut();
    }
    await cut();
    // A restart from an earlier checkpoint sends a stretch again, identically.
    sent.push(
      toTarget.map((list) => {
        const from = Math.floor(rand() * list.length);
        const to = from + Math.floor(rand() * (list.length - from));
        return [...list.slice(0, to), ...list.slice(from)];
      }),
    );
  }
  const batches: OutputBatch[] = [];
  for (const q of TARGETS) {
    const stage = createWindowStage({
      windowChain,
      window: windowSettingsOf(settings, SOURCES),
      topic: SCORED,
      collector: { topic: SCORED, rows: false },
      log: silent,
      skipped: { replayed: 0, invalid: 0 },
    });
    stage.open(groupKey(SCORED, q), [q], undefined);
    const values = interleave(
      SOURCES.map((p) => sent[p]![q]!),
      rand,
    );
    for (const [offset, value] of values.entries()) {
      stage.push(q, [{ partition: q, offset: String(offset), value: Buffer.from(value), timestamp: 0 }]);
    }
    stage.finish();
    batches.push((await stage.cut([])).batch);
  }
  return decided(batches);
}

describe.each(STRATEGIES)(
  'split stages against the whole chain ($strategy.name)',
  ({ strategy, features }) => {
    const settings: ChainSettings = { scoring, strategy };
    it.each([1, 2, 3, 4])(
      'decide the same buckets, decisions and late tweets (seed %i)',
      async (seed) => {
        const bySource = inputsBySource(seed);
        const rand = createRandom(seed);
        const one = await whole(bySource, rand, settings);
        const two = await split(bySource, rand, settings);
        expect(one.buckets.length).toBeGreaterThan(10);
        expect(one.late.length).toBeGreaterThan(0);
        // The surge decisions looked at sentiment and volume z-scores, not only at warming up.
        if (features) expect(one.decisions.some((d) => d.inputs.volumeZ !== undefined)).toBe(true);
        expect(two.buckets).toEqual(one.buckets);
        expect(two.decisions).toEqual(one.decisions);
        expect(two.late).toEqual(one.late);
      },
      30_000,
    );

    it('gives the whole chain the same output under any interleaving of its partitions', async () => {
      const bySource = inputsBySource(9);
      expect(await whole(bySource, createRandom(1), settings)).toEqual(
        await whole(bySource, createRandom(2), settings),
      );
    }, 30_000);
  },
);
