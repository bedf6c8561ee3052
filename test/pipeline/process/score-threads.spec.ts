/**
 * Score threads decide what the inline engine decides: same intake ledger, buckets, decisions, late
 * tweets and rejections, same rows for ClickHouse (TSV that reads back as rows.ts's JSON), and a cut
 * taken mid-stream is a consistent checkpoint a new set of threads resumes from.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createScoringModel, createStrategy } from '../../../operators/index.js';
import type { RawEnvelope } from '../../../operators/types.js';
import type { EngineOptions } from '../../../pipeline/process/engine.js';
import {
  type CoreMessage,
  createInlineCore,
  createThreadedCore,
  type ProcessCore,
  type ProcessCut,
} from '../../../pipeline/process/process-core.js';
import { intakeRow, tweetRows } from '../../../pipeline/process/rows.js';

import { INTAKE_COLUMNS, TWEET_COLUMNS } from '../../../pipeline/process/tsv-rows.js';
import { generateEnvelopes } from '../../../pipeline/sources/synthetic.js';
import { jsonPieces } from '../../../sinks/clickhouse/checkpoints.js';

/** A state as its checkpoint stores it (threads hand dedupe columns over in typed arrays). */
const stored = (state: unknown): unknown => JSON.parse([...jsonPieces(state, 4)].join(''));

const PARTITIONS = [0, 1, 2];
const TOPIC = 'tweets.raw';
const options: EngineOptions = {
  partitions: PARTITIONS,
  scoring: createScoringModel(),
  strategy: createStrategy('zscore', 'lookback=3'),
};
const open: ProcessCore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

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

function messagesByPartition(seed: number, count: number): CoreMessage[][] {
  const out: CoreMessage[][] = PARTITIONS.map(() => []);
  let n = 0;
  for (const e of generateEnvelopes({
    seed,
    count,
    startTime: Date.UTC(2026, 0, 1),
    tweetsPerSecond: 0.25,
    maxJitterMs: 14 * 60_000,
  })) {
    const p = n % PARTITIONS.length;
    n++;
    const value =
      n % 97 === 0
        ? Buffer.from('{"broken')
        : n % 211 === 0
          ? null
          : Buffer.from(JSON.stringify(n % 13 === 0 ? awkward(e, n) : e));
    out[p]!.push({
      offset: String(out[p]!.length),
      value,
      timestamp: Date.parse(e.data.created_at ?? '') || 0,
    });
  }
  return out;
}

/** Batches of varying size, partitions interleaved the same way for every core. */
function batches(byPartition: CoreMessage[][]): { partition: number; messages: CoreMessage[] }[] {
  const at = byPartition.map(() => 0);
  const out: { partition: number; messages: CoreMessage[] }[] = [];
  for (let i = 0; ; i++) {
    const p = i % byPartition.length;
    if (at.every((a, q) => a >= byPartition[q]!.length)) return out;
    const size = 1 + ((i * 37) % 90);
    const messages = byPartition[p]!.slice(at[p], at[p]! + size);
    at[p]! += messages.length;
    if (messages.length > 0) out.push({ partition: p, messages });
  }
}

function threaded(from?: ProcessCut['state']): ProcessCore {
  const core = createThreadedCore({
    topic: TOPIC,
    threads: { count: 2, scoring: {} },
    engine: options,
    ...(from ? { from } : {}),
    framesAhead: 1,
    onFailure: (error) => {
      throw error;
    },
  });
  open.push(core);
  return core;
}

/** What the window side produced and counted, comparable between the inline and the threaded engine. */
function decided({ out, tally }: ProcessCut) {
  return {
    tally: { ...tally, reasons: [...tally.reasons].sort() },
    buckets: out.buckets,
    decisions: out.decisions,
    late: out.late,
    rejected: out.rejected.map((r) => [
      r.input.partition,
      r.input.offset,
      r.input.value === null ? null : Buffer.from(r.input.value),
      r.input.timestamp,
      r.drop,
    ]),
  };
}

/** Reads TabSeparated rows back into rows.ts shapes (numbers as numbers, arrays as arrays). */
function readTsv(text: string, columns: readonly string[]): Record<string, unknown>[] {
  const unescaped = (s: string) =>
    s.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\', "'": "'" })[c] ?? c);
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) =>
      Object.fromEntries(
        line.split('\t').map((raw, i) => {
          const column = columns[i]!;
          if (column === 'rule_tags') {
            const inner = raw.slice(1, -1);
            const items =
              inner === ''
                ? []
                : (inner.match(/'(?:[^'\\]|\\.)*'/g) ?? []).map((q) => unescaped(q.slice(1, -1)));
            return [column, items];
          }
          const value = unescaped(raw);
          return [
            column,
            /^-?\d/.test(value) &&
            column !== 'tweet_id' &&
            column !== 'author_id' &&
            column !== 'retweet_of' &&
            column !== 'offset' &&
            column !== 'author_username' &&
            column !== 'text'
              ? Number(value)
              : value,
          ];
        }),
      ),
    );
}

const json = (rows: readonly Record<string, unknown>[]) => rows.map((r) => JSON.parse(JSON.stringify(r)));
const byKey = (rows: Record<string, unknown>[], key: (r: Record<string, unknown>) => string) =>
  [...rows].sort((a, b) => key(a).localeCompare(key(b)));
const tweetKey = (r: Record<string, unknown>) => `${r.symbol}|${r.tweet_id}`;
const intakeKey = (r: Record<string, unknown>) => `${r.partition}|${String(r.offset).padStart(8, '0')}`;

describe('score threads', { timeout: 60_000 }, () => {
  it('decide, cut and encode exactly what the inline engine does', async () => {
    const inline = createInlineCore(options);
    const threads = threaded();
    const plan = batches(messagesByPartition(11, 3_000));
    const cuts: [ProcessCut, ProcessCut][] = [];
    for (const [i, b] of plan.entries()) {
      inline.push(b.partition, b.messages);
      threads.push(b.partition, b.messages);
      if (i % 7 === 3) cuts.push([await inline.cut(i % 14 === 3), await threads.cut(i % 14 === 3)]);
    }
    inline.flushWindows();
    threads.flushWindows();
    cuts.push([await inline.cut(true), await threads.cut(true)]);

    let tsvTweets = 0;
    let jsonTweets = 0;
    for (const [a, b] of cuts) {
      expect(decided(b)).toEqual(decided(a));
      expect(stored(b.state)).toEqual(stored(a.state));
      // The rows ClickHouse receives: TSV (and the JSON leftovers) read back as the inline rows.
      const encoded = b.encoded!;
      const tweets = [
        ...encoded.tweets.flatMap((t) => readTsv(t, TWEET_COLUMNS)),
        ...json(encoded.tweetsJson),
      ];
      expect(byKey(tweets, tweetKey)).toEqual(byKey(json(a.out.scored.flatMap(tweetRows)), tweetKey));
      const intake = [
        ...encoded.intake.flatMap((t) => readTsv(t, INTAKE_COLUMNS)),
        ...json(encoded.intakeJson),
      ].map((r) => ({ ...r, offset: String(r.offset) }));
      expect(byKey(intake, intakeKey)).toEqual(
        byKey(json(a.out.intake.map((r) => intakeRow(TOPIC, r))), intakeKey),
      );
      tsvTweets += encoded.tweets.join('').split('\n').length - 1;
      jsonTweets += encoded.tweetsJson.length;
    }
    expect(cuts.flatMap(([a]) => a.out.buckets).length).toBeGreaterThan(20);
    expect(cuts.flatMap(([a]) => a.out.rejected).length).toBeGreaterThan(20);
    expect(tsvTweets).toBeGreaterThan(1_000);
    expect(jsonTweets).toBeGreaterThan(0); // a lone surrogate in a rule tag
  });

  it('resume from a mid-stream cut as the inline engine resumes from its snapshot', async () => {
    const plan = batches(messagesByPartition(5, 2_400));
    const half = Math.floor(plan.length / 2);
    const first = threaded();
    for (const b of plan.slice(0, half)) first.push(b.partition, b.messages);
    const { state } = await first.cut(true);

    const inlineRest = createInlineCore(options, state!);
    const threadRest = threaded(state!);
    for (const b of plan.slice(half)) {
      inlineRest.push(b.partition, b.messages);
      threadRest.push(b.partition, b.messages);
    }
    inlineRest.flushWindows();
    threadRest.flushWindows();
    const [a, b] = [await inlineRest.cut(true), await threadRest.cut(true)];
    expect(decided(b)).toEqual(decided(a));
    expect(stored(b.state)).toEqual(stored(a.state));

    // And equal to one uninterrupted inline run's second half.
    const whole = createInlineCore(options);
    for (const batch of plan.slice(0, half)) whole.push(batch.partition, batch.messages);
    await whole.cut(false);
    for (const batch of plan.slice(half)) whole.push(batch.partition, batch.messages);
    whole.flushWindows();
    const all = await whole.cut(true);
    expect(b.out.buckets).toEqual(all.out.buckets);
    expect(stored(b.state)).toEqual(stored(all.state));
  });

  it('holds the caller back while too many inputs are in the threads', async () => {
    const core = threaded();
    const [p0] = messagesByPartition(3, 1_800);
    core.push(0, p0!.slice(0, 600));
    const room = core.room();
    expect(room).not.toBeNull();
    await room;
    expect(core.room()).toBeNull();
    const cut = await core.cut(false);
    expect(cut.tally.consumed).toBe(600);
  });

  it('reports a partition it does not own', () => {
    const core = threaded();
    expect(() => core.push(7, [{ offset: '0', value: null, timestamp: 0 }])).toThrow(RangeError);
  });
});
