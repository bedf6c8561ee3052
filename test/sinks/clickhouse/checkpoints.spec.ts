import { describe, expect, it } from 'vitest';
import { jsonPieces } from '../../../sinks/clickhouse/checkpoints.js';

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

  it('writes scalars and empty objects as JSON.stringify does', () => {
    for (const value of [null, 3, 'x', [], {}, { a: undefined }]) {
      expect([...jsonPieces(value, 3)].join('')).toBe(JSON.stringify(value));
    }
  });
});
