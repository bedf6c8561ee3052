import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { jsonPieces, reviveNumbers, saveCheckpoint } from '../../../sinks/clickhouse/checkpoints.js';

const state = {
  version: 1,
  dedupe: {
    '0': { version: 1, ids: { latest: 17, keys: [1, 2.5, 3], times: [] }, texts: { latest: null } },
    '1': {},
    '2': { ids: { keys: Array.from({ length: 5_000 }, (_, i) => i * 1.5), names: ['a', undefined, 'b'] } },
  },
  window: { skipped: undefined, name: 'quote " and \\ and \t', nested: { a: [{ b: 'c' }] } },
  history: [],
  when: new Date(0),
};

describe('jsonPieces', () => {
  it('joins to exactly what JSON.stringify writes, at any depth', () => {
    for (const depth of [0, 1, 2, 4, 10]) {
      expect([...jsonPieces(state, depth)].join('')).toBe(JSON.stringify(state));
    }
  });

  it('writes a deep object key by key and a long array in pieces rather than as one string', () => {
    const pieces = [...jsonPieces(state, 4)];
    expect(pieces).toContain('[1,2.5,3]');
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(
      JSON.stringify(state.dedupe['2'].ids.keys).length / 2,
    );
  });

  it('writes typed arrays as the arrays of their numbers, at any depth and in pieces when long', () => {
    const keys = Array.from({ length: 5_000 }, (_, i) => i * 1.5 + 2 ** 52);
    const packed = {
      dedupe: {
        '0': {
          ids: { latest: 1, keys: Float64Array.from(keys), times: new Float64Array(0) },
          texts: { his: Uint32Array.from([0, 2 ** 32 - 1, 7]), ids: ['a'] },
        },
      },
    };
    const plain = {
      dedupe: {
        '0': { ids: { latest: 1, keys, times: [] }, texts: { his: [0, 2 ** 32 - 1, 7], ids: ['a'] } },
      },
    };
    for (const depth of [0, 1, 3, 4, 10]) {
      expect([...jsonPieces(packed, depth)].join('')).toBe(JSON.stringify(plain));
    }
    const pieces = [...jsonPieces(packed, 4)];
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(JSON.stringify(keys).length / 2);
  });

  it('writes scalars and empty objects as JSON.stringify does', () => {
    for (const value of [null, 3, 'x', [], {}, { a: undefined }]) {
      expect([...jsonPieces(value, 3)].join('')).toBe(JSON.stringify(value));
    }
  });
});

describe("jsonPieces(…, 'binary') and reviveNumbers", () => {
  const long = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
  const keys = long(20_000, (i) => i * 1.5 + 2 ** 52);
  const his = long(3_000, (i) => (i * 2_654_435_761) >>> 0);
  const state = {
    dedupe: {
      '0': {
        ids: { latest: 1, keys: Float64Array.from(keys), times: long(5_000, (i) => 1.7e12 + i) },
        texts: { his: Uint32Array.from(his), los: new Uint32Array(3), ids: long(3_000, String) },
      },
    },
    mixed: { nan: long(2_049, (i) => (i === 7 ? Number.NaN : -i)), ints: long(2_100, (i) => i - 50) },
    short: Float64Array.from([0.1, 2 ** 53 - 1]),
  };
  const asJson = () => JSON.parse([...jsonPieces(state, 4)].join('')) as unknown;
  const written = () => [...jsonPieces(state, 4, 'binary')].join('');

  it('reads back exactly what the JSON form reads back, at any depth', () => {
    for (const depth of [0, 1, 2, 4, 10]) {
      const text = [...jsonPieces(state, depth, 'binary')].join('');
      expect(reviveNumbers(JSON.parse(text))).toEqual(asJson());
    }
  });

  it('writes long arrays of finite numbers as base64 float64s, in pieces, and nothing else', () => {
    const text = written();
    // keys, times, his, and the array of integers; not the one holding NaN, not the short ones, not strings.
    expect(text.match(/"\$f64":/g)).toHaveLength(4);
    expect(text).toContain('"los":[0,0,0]');
    expect(text).toContain('"short":[0.1,9007199254740991]');
    expect(text).toContain('"ids":["0","1"');
    expect(text).toContain(',null,');
    expect(text.length).toBeLessThan(JSON.stringify(asJson()).length * 0.75);
    const pieces = [...jsonPieces(state, 4, 'binary')];
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(65_536);
  });

  it('keeps full float64 precision, and leaves states written as JSON as they are', () => {
    const odd = { xs: long(3_000, (i) => (i === 0 ? 2 ** 53 : Math.PI * i * 1e-300)) };
    const back = reviveNumbers(JSON.parse([...jsonPieces(odd, 2, 'binary')].join(''))) as typeof odd;
    expect(back.xs).toEqual(odd.xs);
    expect(Array.isArray(back.xs)).toBe(true);
    const old = asJson();
    expect(reviveNumbers(structuredClone(old))).toEqual(old);
  });

  it('refuses a binary array cut short', () => {
    // 12 bytes: a float64 and a half.
    expect(() => reviveNumbers({ a: [{ $f64: Buffer.alloc(12).toString('base64') }] })).toThrow(/cut short/);
  });
});

describe('saveCheckpoint', () => {
  it("retries a refused connection with the caller's logger and timing, and says so", async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const bodies: string[] = [];
    let failures = 2;
    const client = {
      insert: async ({ values }: { values: AsyncIterable<Buffer | string> }) => {
        let body = '';
        for await (const chunk of values) body += chunk.toString();
        bodies.push(body);
        if (failures-- > 0) throw refused;
        return {};
      },
    } as unknown as ClickHouseClient;
    const logged: string[] = [];
    const logger = {
      warn: (_: unknown, message: string) => logged.push(message),
      info: (_: unknown, message: string) => logged.push(message),
    } as unknown as Logger;
    const waits: number[] = [];
    const length = await saveCheckpoint(
      client,
      { url: 'u', groupId: 'g', topic: 't' },
      { seq: 3, offsets: { '0': '7' }, state: { version: 1 } },
      { logger, initialDelayMs: 50, sleep: async (ms) => void waits.push(ms) },
    );
    expect(length).toBe(JSON.stringify({ version: 1 }).length);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(waits).toEqual([50, 100]);
    expect(logged).toEqual([
      'ClickHouse insert failed; retrying',
      'ClickHouse insert failed; retrying',
      'ClickHouse insert succeeded after retry',
    ]);
  });
});
