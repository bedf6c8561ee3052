import { describe, expect, it } from 'vitest';
import { createStrategy } from '../../../operators/index.js';
import { scorerSettingsFrom } from '../../../pipeline/backtest/scorer-settings.js';
import { engineOptionsFrom, loadConfig } from '../../../pipeline/config.js';
import { createEngine, createEngineWindow } from '../../../pipeline/process/engine.js';
import { createFrameScorer } from '../../../pipeline/process/frame-scorer.js';
import { type Frame, FrameWriter } from '../../../pipeline/process/raw-frames.js';
import { routePartitions } from '../../../pipeline/process/score-threads.js';
import { createScoredFrameReader, type ScoredFrame } from '../../../pipeline/process/scored-frames.js';
import { generateEnvelopes } from '../../../pipeline/sources/synthetic.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5, 9);
const PARTITIONS = [0, 1, 2];
const PARAMS = { lookback: '2', threshold: '0.05', minCount: '5' };
const config = loadConfig({ env: {} });

interface Message {
  partition: number;
  offset: string;
  value: Uint8Array | null;
  timestamp: number;
}

/** Synthetic tweets.raw spread over three partitions, with tombstones, garbage and tweets hours late. */
function messages(count: number): Message[] {
  const out: Message[] = [];
  const next = new Map(PARTITIONS.map((p) => [p, 0]));
  const push = (partition: number, value: string | null, timestamp: number): void => {
    const offset = next.get(partition)!;
    next.set(partition, offset + 1);
    out.push({
      partition,
      offset: String(offset),
      value: value === null ? null : Buffer.from(value),
      timestamp,
    });
  };
  let i = 0;
  for (const envelope of generateEnvelopes({ seed: 5, count, startTime: START, tweetsPerSecond: 0.4 })) {
    const at = Date.parse(envelope.data.created_at ?? '');
    const partition = Number(BigInt(envelope.data.id) % 3n);
    if (i % 997 === 0) push(partition, null, at);
    if (i % 1_499 === 0) push((partition + 1) % 3, '{"data": {"id": "1", "text": "unterminated', at);
    if (i % 613 === 0) {
      // Three hours late: its bucket closed already on its own partition (once that one moved on).
      const late = {
        ...envelope,
        data: {
          ...envelope.data,
          id: `9${envelope.data.id}`,
          created_at: new Date(at - 3 * HOUR).toISOString(),
        },
      };
      push(partition, JSON.stringify(late), at - 3 * HOUR);
    }
    push(partition, JSON.stringify(envelope), at);
    i++;
  }
  return out;
}

function throughEngine(list: readonly Message[]) {
  const settings = engineOptionsFrom(config);
  const engine = createEngine({
    ...settings,
    partitions: PARTITIONS,
    strategy: createStrategy('threshold', PARAMS),
  });
  for (const m of list) engine.push(m);
  engine.flushWindows();
  const out = engine.drain();
  const counts = { consumed: out.intake.length, stored: 0, dropped: 0, rejected: 0 };
  for (const r of out.intake) counts[r.outcome]++;
  return { buckets: out.buckets, decisions: out.decisions, late: out.late.length, counts };
}

/** Scores each share of the partitions on its own, in small frames, and windows the frames in `order`. */
function throughScoreThreads(
  list: readonly Message[],
  threads: number,
  order: 'share by share' | 'alternating',
) {
  const shares = routePartitions(PARTITIONS, threads);
  const scored = shares.map((partitions) => {
    const scorer = createFrameScorer({ ...scorerSettingsFrom(config), partitions });
    const writer = new FrameWriter(16 * 1024);
    const frames: Frame[] = [];
    for (const m of list) {
      if (!partitions.includes(m.partition)) continue;
      const full = writer.add(m);
      if (full) frames.push(full);
    }
    const last = writer.take();
    if (last) frames.push(last);
    return frames.map((f) => scorer.score(f));
  });
  const sequence: { share: number; frame: ScoredFrame }[] = [];
  if (order === 'share by share') {
    for (const [share, frames] of [...scored.entries()].reverse())
      for (const frame of frames) sequence.push({ share, frame });
  } else {
    for (let i = 0; i < Math.max(...scored.map((s) => s.length)); i++) {
      for (const [share, frames] of scored.entries())
        if (frames[i]) sequence.push({ share, frame: frames[i]! });
    }
  }
  const window = createEngineWindow({
    partitions: PARTITIONS,
    strategy: createStrategy('threshold', PARAMS),
    window: engineOptionsFrom(config).window,
  });
  const readers = shares.map(() => createScoredFrameReader());
  const counts = { consumed: 0, stored: 0, dropped: 0, rejected: 0 };
  for (const { share, frame } of sequence) {
    readers[share]!.read(frame, window);
    counts.consumed += frame.tally.consumed;
    counts.stored += frame.tally.stored;
    counts.dropped += frame.tally.dropped;
    counts.rejected += frame.tally.rejected;
  }
  window.flushWindows();
  const out = window.drain();
  return { buckets: out.buckets, decisions: out.decisions, late: out.late.length, counts };
}

describe('a replay split into score threads and a window thread', () => {
  const list = messages(6_000);
  const engine = throughEngine(list);

  it('has input that exercises rejections, drops, late tweets and trades', () => {
    expect(engine.counts.rejected).toBeGreaterThan(5);
    expect(engine.counts.dropped).toBeGreaterThan(100);
    expect(engine.late).toBeGreaterThan(3);
    expect(engine.decisions.filter((d) => d.action !== 'HOLD').length).toBeGreaterThan(0);
  });

  for (const threads of [1, 2, 3]) {
    for (const order of ['share by share', 'alternating'] as const) {
      it(`closes the engine's buckets and takes its decisions, in its order (${threads} score threads, frames ${order})`, () => {
        const split = throughScoreThreads(list, threads, order);

        expect(split.counts).toEqual(engine.counts);
        expect(split.late).toBe(engine.late);
        expect(split.buckets).toEqual(engine.buckets);
        expect(split.decisions).toEqual(engine.decisions);
      });
    }
  }
});

describe('routePartitions', () => {
  it('deals the partitions round-robin in partition order', () => {
    expect(routePartitions([4, 0, 2, 1, 3], 2)).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
    expect(routePartitions([1], 3)).toEqual([[1], [], []]);
  });
});
