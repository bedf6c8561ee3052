import { describe, expect, it } from 'vitest';
import {
  createScoredFrameReader,
  type ScoredFrame,
  ScoredFrameWriter,
  transferablesOf,
} from '../../../../pipeline/runtime/threads/scored-frames.js';

type Seen = (string | number | readonly string[])[];

function collect(frames: readonly ScoredFrame[]): Seen[] {
  const reader = createScoredFrameReader();
  const seen: Seen[] = [];
  for (const frame of frames) {
    reader.read(frame, {
      advance: (partition, time) => seen.push(['advance', partition, time]),
      tweet: (partition, createdAt, score, weight, author, symbols) =>
        seen.push(['tweet', partition, createdAt, score, weight, author, symbols]),
    });
  }
  return seen;
}

describe('scored frames', () => {
  it('hand over advances and tweets unchanged and in order, exact floats included', () => {
    const writer = new ScoredFrameWriter();
    writer.begin(4);
    writer.advance(2, 1_700_000_000_123);
    writer.tweet(0, 1_700_000_000_456, -0.123456789012345, 3.3333333333333335, 'a1', ['BTC']);
    writer.tweet(2, 1_700_000_000_789, 0.1 + 0.2, 1, 'a2', ['BTC', 'ETH']);
    const frame = writer.end();

    expect(frame.count).toBe(3);
    expect(collect([frame])).toEqual([
      ['advance', 2, 1_700_000_000_123],
      ['tweet', 0, 1_700_000_000_456, -0.123456789012345, 3.3333333333333335, 'a1', ['BTC']],
      ['tweet', 2, 1_700_000_000_789, 0.1 + 0.2, 1, 'a2', ['BTC', 'ETH']],
    ]);
  });

  it('send each symbol list once and resolve it in later frames', () => {
    const writer = new ScoredFrameWriter();
    writer.begin(2);
    writer.tweet(0, 1, 0, 1, 'a', ['ETH']);
    writer.tweet(0, 2, 0, 1, 'b', ['BTC', 'ETH']);
    const first = writer.end();
    writer.begin(2);
    writer.tweet(1, 3, 0, 1, 'c', ['BTC', 'ETH']);
    writer.tweet(1, 4, 0, 1, 'd', ['SOL']);
    const second = writer.end();

    expect(first.newSymbolLists).toEqual([['ETH'], ['BTC', 'ETH']]);
    expect(second.newSymbolLists).toEqual([['SOL']]);
    expect(collect([first, second]).map((r) => r[6])).toEqual([
      ['ETH'],
      ['BTC', 'ETH'],
      ['BTC', 'ETH'],
      ['SOL'],
    ]);
  });

  it('count the messages they account for by outcome and reason, the latest event time and Kafka timestamp', () => {
    const writer = new ScoredFrameWriter();
    writer.begin(1);
    writer.message('stored', 30, 35);
    writer.message('dropped', 50, 20, { stage: 'dedupe', reason: 'duplicate' });
    writer.message('rejected', 10, 10, { stage: 'normalize', reason: 'invalid_json' });
    writer.message('stored', 40, 45);
    writer.message('dropped', 20, 20, { stage: 'dedupe', reason: 'duplicate' });
    const frame = writer.end();

    expect(frame.maxTimestamp).toBe(50);
    expect(frame.tally).toEqual({
      consumed: 5,
      stored: 2,
      dropped: 2,
      rejected: 1,
      reasons: new Map([
        ['dropped\tdedupe\tduplicate', 2],
        ['rejected\tnormalize\tinvalid_json', 1],
      ]),
      latestEventTime: 45,
    });
  });

  it('carry stored tweet ids only when asked', () => {
    const withIds = new ScoredFrameWriter(true);
    withIds.begin(1);
    withIds.tweet(0, 1, 0, 1, 'a', ['BTC'], 't1');
    const without = new ScoredFrameWriter();
    without.begin(1);
    without.tweet(0, 1, 0, 1, 'a', ['BTC'], 't1');

    const ids: string[] = [];
    createScoredFrameReader().read(withIds.end(), {
      advance: () => undefined,
      tweet: (...args) => ids.push(args[6] ?? ''),
    });
    expect(ids).toEqual(['t1']);
    expect(without.end().ids).toEqual([]);
  });

  it('keep every column in its own transferable buffer', () => {
    const writer = new ScoredFrameWriter();
    writer.begin(8);
    const buffers = transferablesOf(writer.end());

    expect(buffers).toHaveLength(6);
    expect(new Set(buffers).size).toBe(6);
  });

  it('fail on a symbol list the reader was never sent', () => {
    const writer = new ScoredFrameWriter();
    writer.begin(1);
    writer.tweet(0, 1, 0, 1, 'a', ['BTC']);
    const frame = { ...writer.end(), newSymbolLists: [] };

    expect(() => collect([frame])).toThrow(RangeError);
  });
});
