import { describe, expect, it } from 'vitest';
import {
  createScoredFrameReader,
  type ScoredFrame,
  ScoredFrameWriter,
  transferablesOf,
} from '../../../pipeline/backtest/scored-frames.js';

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

  it('count the messages they account for by outcome, and the latest Kafka timestamp', () => {
    const writer = new ScoredFrameWriter();
    writer.begin(1);
    writer.message('stored', 30);
    writer.message('dropped', 50);
    writer.message('rejected', 10);
    writer.message('stored', 40);
    const frame = writer.end();

    expect(frame).toMatchObject({ read: 4, stored: 2, dropped: 1, rejected: 1, maxTimestamp: 50 });
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
