/**
 * The split stages decide what the single engine decides: same buckets, decisions and late tweets,
 * whatever the interleaving of source partitions (in the engine and in every tweets.scored partition)
 * and when the score stage replays part of a partition after a restart.
 */
import { describe, expect, it } from 'vitest';
import {
  type Bucket,
  createScoringModel,
  createStrategy,
  createTweetFilter,
  type Decision,
  type Strategy,
} from '../../../operators/index.js';
import { createEngine, type EngineInput } from '../../../pipeline/process/engine.js';
import { createScorePartition } from '../../../pipeline/process/score-stage.js';
import { decodeItem, markMessages } from '../../../pipeline/process/scored-records.js';
import { createWindowPartition } from '../../../pipeline/process/window-stage.js';
import { generateEnvelopes } from '../../../pipeline/sources/synthetic.js';

const SOURCES = [0, 1, 2];
const TARGETS = [0, 1];
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

/** A seeded generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

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

function inputsBySource(seed: number): EngineInput[][] {
  const bySource: EngineInput[][] = SOURCES.map(() => []);
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
      value,
      timestamp: Date.parse(e.data.created_at ?? '') || 0,
    });
  }
  return bySource;
}

const bucketKey = (b: Bucket) => `${b.symbol}@${b.start}`;
const sortBuckets = (bs: Bucket[]) => [...bs].sort((a, b) => bucketKey(a).localeCompare(bucketKey(b)));
const sortDecisions = (ds: Decision[]) => [...ds].sort((a, b) => a.id.localeCompare(b.id));

function single(bySource: EngineInput[][], rand: () => number, strategy: Strategy) {
  const engine = createEngine({ partitions: SOURCES, scoring, strategy });
  for (const input of interleave(bySource, rand)) engine.push(input);
  engine.flushWindows();
  const out = engine.drain();
  return {
    buckets: sortBuckets(out.buckets),
    decisions: sortDecisions(out.decisions),
    late: [...new Set(out.late.map((d) => d.tweetId))].sort(),
  };
}

function split(bySource: EngineInput[][], rand: () => number, strategy: Strategy) {
  const filterFn = createTweetFilter();
  const targetOf = (symbol: string) => [...symbol].reduce((h, c) => h + c.charCodeAt(0), 0) % TARGETS.length;
  // Per source: what its score stage sends to each tweets.scored partition, flush by flush.
  const sent = SOURCES.map((p) => {
    const scorer = createScorePartition(p, { scoring, filterFn });
    const toTarget: string[][] = TARGETS.map(() => []);
    const flush = () => {
      const out = scorer.drain();
      for (const m of out.repartition) toTarget[targetOf(m.key!)]!.push(m.value as string);
      const mark = scorer.takeMark();
      if (mark) for (const m of markMessages(mark, TARGETS)) toTarget[m.partition!]!.push(m.value as string);
    };
    for (const input of bySource[p]!) {
      scorer.push(input);
      if (rand() < 0.05) flush();
    }
    flush();
    // A restart from an earlier checkpoint sends a stretch again, identically.
    return toTarget.map((list) => {
      const from = Math.floor(rand() * list.length);
      const to = from + Math.floor(rand() * (list.length - from));
      return [...list.slice(0, to), ...list.slice(from)];
    });
  });
  const buckets: Bucket[] = [];
  const decisions: Decision[] = [];
  const late = new Set<string | null>();
  for (const q of TARGETS) {
    const window = createWindowPartition({ sources: SOURCES, strategy });
    const items = interleave(
      SOURCES.map((p) => sent[p]![q]!),
      rand,
    );
    for (const value of items) window.apply(decodeItem(value, `q${q}`));
    window.flushWindows();
    const out = window.drain();
    buckets.push(...out.buckets);
    decisions.push(...out.decisions);
    for (const d of out.late) late.add(d.tweetId);
  }
  return { buckets: sortBuckets(buckets), decisions: sortDecisions(decisions), late: [...late].sort() };
}

describe.each(STRATEGIES)(
  'split stages against the single engine ($strategy.name)',
  ({ strategy, features }) => {
    it.each([1, 2, 3, 4])(
      'decide the same buckets, decisions and late tweets (seed %i)',
      (seed) => {
        const bySource = inputsBySource(seed);
        const rand = random(seed);
        const one = single(bySource, rand, strategy);
        const two = split(bySource, rand, strategy);
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

    it('gives the single engine the same output under any interleaving of its partitions', () => {
      const bySource = inputsBySource(9);
      expect(single(bySource, random(1), strategy)).toEqual(single(bySource, random(2), strategy));
    });
  },
);
