import { describe, expect, it } from 'vitest';
import { engineOptionsFrom, loadConfig } from '../../../../pipeline/config.js';
import { scoreChain } from '../../../../pipeline/runtime/chain.js';
import { type Frame, FrameWriter } from '../../../../pipeline/runtime/threads/raw-frames.js';
import {
  createScoredFrameReader,
  type ScoredFrame,
} from '../../../../pipeline/runtime/threads/scored-frames.js';
import { createThreadScorer, dedupeBuffers } from '../../../../pipeline/runtime/threads/thread-scorer.js';

const T = Date.UTC(2026, 0, 5, 10);
const MIN = 60_000;
const { scoringOptions, filter, weight } = engineOptionsFrom(loadConfig({ env: {} }));
const scorerFor = (partitions: number[]) =>
  createThreadScorer({ scoring: scoringOptions, filter, weight, partitions }, scoreChain);

function envelope(id: string, at: number, text = '$BTC looks great today, strong buyers') {
  return JSON.stringify({
    data: {
      id,
      text,
      created_at: new Date(at).toISOString(),
      author_id: `7${id}`,
      lang: 'en',
      entities: { cashtags: [{ tag: 'BTC' }] },
    },
    includes: {
      users: [
        {
          id: `7${id}`,
          username: `u${id}`,
          created_at: '2015-01-01T00:00:00.000Z',
          public_metrics: { followers_count: 500 },
        },
      ],
    },
  });
}

function frameOf(list: { partition: number; value: string | null; timestamp: number }[]): Frame {
  const writer = new FrameWriter();
  for (const [i, m] of list.entries()) {
    writer.add({ ...m, offset: String(i), value: m.value === null ? null : Buffer.from(m.value) });
  }
  return writer.take()!;
}

function records(frame: ScoredFrame) {
  const out: (string | number)[][] = [];
  createScoredFrameReader().read(frame, {
    advance: (partition, time) => out.push(['advance', partition, time]),
    tweet: (partition, createdAt) => out.push(['tweet', partition, createdAt]),
  });
  return out;
}

describe('createThreadScorer', () => {
  it('passes stored tweets on and advances the partition to the latest time of the messages it held back', () => {
    const scored = scorerFor([0]).score(
      frameOf([
        { partition: 0, value: envelope('1', T), timestamp: T },
        { partition: 0, value: envelope('1', T + 120 * MIN), timestamp: T + 120 * MIN }, // duplicate id
        { partition: 0, value: envelope('1', T + 60 * MIN), timestamp: T + 60 * MIN }, // duplicate id
        {
          partition: 0,
          value: envelope('2', T + 30 * MIN, 'Selling my $BTC now, this drop is ugly'),
          timestamp: T + 30 * MIN,
        },
      ]),
    );

    expect(records(scored)).toEqual([
      ['tweet', 0, T],
      ['advance', 0, T + 120 * MIN],
      ['tweet', 0, T + 30 * MIN],
    ]);
    expect(scored.tally).toMatchObject({ consumed: 4, stored: 2, dropped: 2, rejected: 0 });
  });

  it('ends a frame with the held advance of every partition, rejections at their Kafka timestamp', () => {
    const scored = scorerFor([0, 1]).score(
      frameOf([
        { partition: 1, value: envelope('3', T), timestamp: T },
        { partition: 0, value: null, timestamp: T + 5 * MIN },
        { partition: 1, value: '{"data": {"id": "4", "text": "unterminated', timestamp: T + 9 * MIN },
      ]),
    );

    expect(records(scored)).toEqual([
      ['tweet', 1, T],
      ['advance', 0, T + 5 * MIN],
      ['advance', 1, T + 9 * MIN],
    ]);
    expect(scored.tally).toMatchObject({ consumed: 3, stored: 1, dropped: 0, rejected: 2 });
    expect(scored.maxTimestamp).toBe(T + 9 * MIN);
    expect(scored.rejections.map((r) => r.drop.stage)).toEqual(['normalize', 'normalize']);
  });

  it('keeps dedupe memory per partition, as the whole chain does', () => {
    const scored = scorerFor([0, 1]).score(
      frameOf([
        { partition: 0, value: envelope('5', T), timestamp: T },
        { partition: 1, value: envelope('5', T), timestamp: T },
        { partition: 1, value: envelope('5', T), timestamp: T },
      ]),
    );

    expect(scored.tally).toMatchObject({ stored: 2, dropped: 1 });
  });

  it('refuses a partition it does not score', () => {
    expect(() => scorerFor([0]).score(frameOf([{ partition: 2, value: null, timestamp: T }]))).toThrow(
      RangeError,
    );
  });

  it('hands its dedupe memories over in typed arrays to transfer, holding what snapshot() holds', () => {
    const scorer = scorerFor([0, 1]);
    scorer.score(
      frameOf([
        { partition: 0, value: envelope('1', T), timestamp: T },
        {
          partition: 1,
          value: envelope('2', T + MIN, '$BTC pumping hard, bulls are back in town'),
          timestamp: T,
        },
      ]),
    );
    const { dedupe } = scorer.cut(true);
    const ids = dedupe?.['0']?.ids;
    expect(ids?.keys).toBeInstanceOf(Float64Array);
    expect(ids?.keys).toHaveLength(1);
    expect(dedupe?.['1']?.texts.his).toBeInstanceOf(Uint32Array);
    expect(dedupe?.['1']?.texts.ids).toEqual(['2']);
    // Five number columns per partition, each its own buffer.
    expect(new Set(dedupeBuffers(dedupe)).size).toBe(10);
    expect(dedupeBuffers(null)).toEqual([]);
  });
});
