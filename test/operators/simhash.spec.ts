import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hammingDistance, simhashText } from '../../operators/simhash.js';
import { SimHashIndex } from '../../operators/simhash-index.js';

describe('simhashText', () => {
  it.each([
    ['case', 'Join our VIP group for $BTC signals now', 'join our vip group for $btc SIGNALS now'],
    [
      'urls',
      'Join our VIP group for $BTC signals https://t.co/abc',
      'Join our VIP group for $BTC signals https://t.co/xyz',
    ],
    ['mentions', '@bob Join our VIP group for $BTC signals', '@carol Join our VIP group for $BTC signals'],
    [
      'numbers and punctuation',
      'Join our VIP group, 500 $BTC signals!!!',
      'Join our VIP group 12 $BTC signals.',
    ],
  ])('ignores %s', (_, a, b) => {
    expect(hammingDistance(simhashText(a), simhashText(b))).toBe(0);
  });

  it('separates unrelated texts by many bits', () => {
    const a = simhashText('bitcoin is going to the moon, buying more today');
    const b = simhashText('ethereum fees are terrible again, selling everything');
    expect(hammingDistance(a, b)).toBeGreaterThan(10);
  });

  it('counts words, not numbers or mentions', () => {
    expect(simhashText('@x 123 hello world https://t.co/q').tokens).toBe(2);
    expect(simhashText('').tokens).toBe(0);
  });

  it('is deterministic', () => {
    fc.assert(fc.property(fc.string(), (s) => hammingDistance(simhashText(s), simhashText(s)) === 0));
  });
});

describe('SimHashIndex', () => {
  const hash = (text: string) => simhashText(text);

  it('finds a held hash within the distance and returns its id', () => {
    const index = new SimHashIndex({ capacity: 10, horizonMs: 1000, maxDistance: 3 });
    expect(index.findOrInsert(hash('free signals in our vip group'), 0, 'a')).toBeNull();
    expect(index.findOrInsert(hash('FREE signals in our VIP group!'), 1, 'b')).toBe('a');
    expect(index.size).toBe(1);
  });

  it('forgets hashes older than the horizon', () => {
    const index = new SimHashIndex({ capacity: 10, horizonMs: 1000, maxDistance: 3 });
    index.findOrInsert(hash('free signals in our vip group'), 0, 'a');
    expect(index.findOrInsert(hash('free signals in our vip group'), 1001, 'b')).toBeNull();
  });

  it('forgets the oldest hash when full', () => {
    const index = new SimHashIndex({ capacity: 2, horizonMs: 1e9, maxDistance: 3 });
    index.findOrInsert(hash('one two three four'), 0, 'a');
    index.findOrInsert(hash('five six seven eight'), 1, 'b');
    index.findOrInsert(hash('nine ten eleven twelve'), 2, 'c');
    expect(index.findOrInsert(hash('one two three four'), 3, 'd')).toBeNull();
  });

  it('never holds more than its capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.string(), fc.integer({ min: 0, max: 10_000 })), { maxLength: 200 }),
        (capacity, items) => {
          const index = new SimHashIndex({ capacity, horizonMs: 500, maxDistance: 3 });
          return items.every(([text, time], i) => {
            index.findOrInsert(hash(text), time, String(i));
            return index.size <= capacity;
          });
        },
      ),
    );
  });

  it('rejects distances the four bands cannot guarantee', () => {
    expect(() => new SimHashIndex({ capacity: 1, horizonMs: 1, maxDistance: 4 })).toThrow(RangeError);
  });
});
