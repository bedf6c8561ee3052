import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { jsonPieces, saveCheckpoint } from '../../../sinks/clickhouse/checkpoints.js';

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
