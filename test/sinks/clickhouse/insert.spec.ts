import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { RejectedError, UnavailableError } from '../../../lib/errors.js';
import { backoffDelay, insertRows } from '../../../sinks/clickhouse/insert.js';

function fakeClient(failures: unknown[]): { client: ClickHouseClient; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const client = {
    insert: async ({ values }: { values: unknown[] }) => {
      calls.push(values);
      const failure = failures.shift();
      if (failure) throw failure;
      return {};
    },
  } as unknown as ClickHouseClient;
  return { client, calls };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

describe('insertRows', () => {
  it('does nothing for an empty batch', async () => {
    const { client, calls } = fakeClient([]);
    await insertRows(client, 't', [], { url: 'u' });
    expect(calls).toHaveLength(0);
  });

  it('retries transient failures with growing delays, then succeeds', async () => {
    const { client, calls } = fakeClient([refused, refused]);
    const waits: number[] = [];
    await insertRows(client, 't', [{ a: 1 }], {
      url: 'u',
      initialDelayMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after the last attempt with an UnavailableError', async () => {
    const { client } = fakeClient([refused, refused, refused]);
    const error = await insertRows(client, 't', [{ a: 1 }], {
      url: 'http://ch',
      attempts: 3,
      sleep: async () => {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toContain('http://ch');
  });

  it('does not retry a refusal such as a schema error', async () => {
    const { client, calls } = fakeClient([new Error('Code: 16. DB::Exception: No such column x')]);
    await expect(
      insertRows(client, 't', [{ x: 1 }], { url: 'u', sleep: async () => {} }),
    ).rejects.toBeInstanceOf(RejectedError);
    expect(calls).toHaveLength(1);
  });

  it('splits large batches into chunks', async () => {
    const { client, calls } = fakeClient([]);
    await insertRows(
      client,
      't',
      Array.from({ length: 5 }, (_, i) => ({ i })),
      { url: 'u', chunkRows: 2 },
    );
    expect(calls.map((c) => c.length)).toEqual([2, 2, 1]);
  });

  it('caps the back-off', () => {
    expect(backoffDelay(1, 200, 1_000)).toBe(200);
    expect(backoffDelay(10, 200, 1_000)).toBe(1_000);
  });
});
