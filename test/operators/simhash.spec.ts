import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hammingDistance, leadingWordsKey, simhashText } from '../../operators/simhash.js';
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

  it('gives the same hash with a reused scratch array', () => {
    const scratch = new Int32Array(16);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        simhashText(a, scratch);
        expect(simhashText(b, scratch)).toEqual(simhashText(b));
      }),
    );
  });

  it('sets a bit exactly when more than half of the words vote for it, ties included', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    const times = fc.integer({ min: 0, max: 85 }); // three groups stay within the 255 words counted
    fc.assert(
      fc.property(fc.array(fc.tuple(word, times), { minLength: 1, maxLength: 3 }), (groups) => {
        // A single word's SimHash is that word's own hash: one vote, a majority of one.
        const words = groups.map(([w, k]) => ({ hash: simhashText(w), k }));
        const text = groups.flatMap(([w, k]) => Array<string>(k).fill(w)).join(' ');
        const tokens = groups.reduce((sum, [, k]) => sum + k, 0);
        const expected = (half: 'hi' | 'lo'): number => {
          let out = 0;
          for (let bit = 0; bit < 32; bit++) {
            const votes = words.reduce((sum, w) => sum + ((w.hash[half] >>> bit) & 1) * w.k, 0);
            if (votes * 2 > tokens) out |= 1 << bit;
          }
          return out >>> 0;
        };
        const got = simhashText(text);
        expect(got).toEqual({ hi: expected('hi'), lo: expected('lo'), tokens });
      }),
      { numRuns: 500 },
    );
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

  it('still finds and forgets entries once sequence numbers pass 2^30 (bucket tags wrap)', () => {
    const index = new SimHashIndex({ capacity: 2, horizonMs: 1e9, maxDistance: 3 });
    // As if 2^30 - 1 texts had passed through already (the counters are private).
    Object.assign(index, { head: 2 ** 30 - 1, tail: 2 ** 30 - 1 });
    expect(index.findOrInsert(hash('one two three four'), 0, 'a')).toBeNull();
    expect(index.findOrInsert(hash('five six seven eight'), 1, 'b')).toBeNull();
    expect(index.findOrInsert(hash('one two three four'), 2, 'c')).toBe('a');
    expect(index.findOrInsert(hash('five six seven eight'), 3, 'd')).toBe('b');
    index.findOrInsert(hash('nine ten eleven twelve'), 4, 'e');
    expect(index.findOrInsert(hash('one two three four'), 5, 'f')).toBeNull();
  });

  it('rejects distances the four bands cannot guarantee', () => {
    expect(() => new SimHashIndex({ capacity: 1, horizonMs: 1, maxDistance: 4 })).toThrow(RangeError);
  });
});

describe('SimHashIndex against a brute-force model', () => {
  it('finds a live match exactly when a pairwise scan would, and only live matches', () => {
    const bases = [0x00000000, 0xffffffff, 0x0f0f0f0f, 0x12345678];
    const arbHash = fc
      .record({
        base: fc.constantFrom(...bases),
        flips: fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 5 }),
      })
      .map(({ base, flips }) => {
        let hi = base;
        let lo = base;
        for (const bit of flips) {
          if (bit < 32) lo ^= 1 << bit;
          else hi ^= 1 << (bit - 32);
        }
        return { hi: hi >>> 0, lo: lo >>> 0, tokens: 10 };
      });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(arbHash, fc.integer({ min: 0, max: 300 })), { maxLength: 120 }),
        (capacity, items) => {
          const horizonMs = 100;
          const index = new SimHashIndex({ capacity, horizonMs, maxDistance: 3, perBucket: 1024 });
          const held: { hash: (typeof items)[number][0]; time: number; id: string }[] = [];
          let latest = Number.NEGATIVE_INFINITY;
          items.forEach(([hash, time], i) => {
            latest = Math.max(latest, time);
            while (held.length > 0 && held[0]!.time < latest - horizonMs) held.shift();
            const live = held.filter(
              (h) => h.time >= latest - horizonMs && hammingDistance(h.hash, hash) <= 3,
            );
            const found = index.findOrInsert(hash, time, String(i));
            if (live.length === 0) {
              expect(found).toBeNull();
              if (held.length === capacity) held.shift();
              held.push({ hash, time, id: String(i) });
            } else {
              expect(live.map((h) => h.id)).toContain(found);
            }
          });
        },
      ),
    );
  });

  it('remembers the last perBucket entries of each band bucket: a full bucket drops its oldest', () => {
    // A capacity of 16 gives the smallest table, 16 buckets per band, here of two entries each.
    const perBucket = 2;
    const capacity = 16;
    // Copies of a few texts with a bit or two changed, all in the same bucket of every band (the low
    // four bits of each 16-bit band are 0), so buckets overflow and matches hang on what they keep.
    const nibbles = 0xfff0fff0;
    const bases = Array.from({ length: 6 }, (_, i) => ({
      hi: (Math.imul(i + 1, 0x9e3779b1) & nibbles) >>> 0,
      lo: (Math.imul(i + 7, 0x85ebca6b) & nibbles) >>> 0,
    }));
    const arbHash = fc
      .tuple(
        fc.constantFrom(...bases),
        fc.array(
          fc.integer({ min: 0, max: 63 }).filter((bit) => bit % 16 >= 4),
          { maxLength: 2 },
        ),
      )
      .map(([base, flips]) => {
        let { hi, lo } = base;
        for (const bit of flips) {
          if (bit < 32) lo ^= 1 << bit;
          else hi ^= 1 << (bit - 32);
        }
        return { hi: hi >>> 0, lo: lo >>> 0, tokens: 10 };
      });
    const bandBucket = (h: { hi: number; lo: number }, band: number): number => {
      const half = band < 2 ? h.lo : h.hi;
      return band * 16 + ((band % 2 === 0 ? half & 0xffff : half >>> 16) & 15);
    };
    fc.assert(
      fc.property(fc.array(arbHash, { maxLength: 150 }), (hashes) => {
        const index = new SimHashIndex({ capacity, horizonMs: 1e9, maxDistance: 3, perBucket });
        const buckets = new Map<number, { hash: (typeof hashes)[number]; id: string; seq: number }[]>();
        let inserted = 0;
        hashes.forEach((hash, i) => {
          // Held: in one of its band buckets' last two entries and among the ring's last 16.
          const candidates = [0, 1, 2, 3].flatMap((band) =>
            (buckets.get(bandBucket(hash, band)) ?? []).filter(
              (e) => e.seq >= inserted - capacity && hammingDistance(e.hash, hash) <= 3,
            ),
          );
          const found = index.findOrInsert(hash, 0, String(i));
          if (candidates.length === 0) {
            expect(found).toBeNull();
            for (let band = 0; band < 4; band++) {
              const list = buckets.get(bandBucket(hash, band)) ?? [];
              list.push({ hash, id: String(i), seq: inserted });
              if (list.length > perBucket) list.shift();
              buckets.set(bandBucket(hash, band), list);
            }
            inserted++;
          } else expect(candidates.map((e) => e.id)).toContain(found);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('leadingWordsKey', () => {
  it('sees the opening words as simhashText sees words: case, URLs, mentions, numbers and punctuation aside', () => {
    const key = leadingWordsKey('Join our VIP group for $BTC', 6);
    expect(key).toMatch(/^\d{1,16}$/);
    expect(leadingWordsKey('@bob join OUR vip group, 500 for $btc!!! https://t.co/x and more after', 6)).toBe(
      key,
    );
    expect(leadingWordsKey('https://t.co/y Join our VIP 12 group for $BTC signals now', 6)).toBe(key);
  });

  it('tells openings apart by any word and by word order', () => {
    const key = leadingWordsKey('Join our VIP group for $BTC', 6);
    expect(leadingWordsKey('Join our VIP group for $ETH', 6)).not.toBe(key);
    expect(leadingWordsKey('our Join VIP group for $BTC', 6)).not.toBe(key);
    expect(leadingWordsKey('Join our VIP group for', 5)).not.toBe(
      leadingWordsKey('Join our VIP group for $BTC', 6),
    );
  });

  it('is null for a text with fewer words', () => {
    expect(leadingWordsKey('$BTC to the moon 🚀', 6)).toBeNull();
    expect(leadingWordsKey('', 1)).toBeNull();
  });

  it('spreads distinct openings (no collisions over many generated texts)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{3,8}$/), { minLength: 6, maxLength: 6 }),
        (words) => {
          const a = leadingWordsKey(words.join(' '), 6);
          const b = leadingWordsKey([...words.slice(0, 5), `${words[5]}x`].join(' '), 6);
          return a !== null && a !== b;
        },
      ),
    );
  });
});
