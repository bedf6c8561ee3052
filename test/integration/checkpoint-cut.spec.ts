/**
 * A checkpoint is one streamed INSERT of a big row. When the process dies in the middle of sending it,
 * the server sees a body that simply ends: the cut row must not be stored, or the newest checkpoint
 * would be a corrupt one (seen: `process` refusing to start after a SIGKILL mid-checkpoint).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_COLUMNS,
  checkpointRowPieces,
  loadCheckpoint,
  saveCheckpoint,
} from '../../sinks/clickhouse/checkpoints.js';
import { testDatabase } from '../support/test-database.js';

const db = testDatabase('it_ckpt_cut');
beforeAll(() => db.migrate());
afterAll(() => db.drop());

/**
 * Starts an INSERT whose body is one chunk of `whole`, sends only `sent` characters of it, and ends the
 * connection: what the server sees when the process is killed while the client streams the row.
 */
async function cutInsert(columns: readonly string[], whole: string, sent: number): Promise<void> {
  const url = new URL(db.url);
  const query = new URLSearchParams({
    database: db.name,
    query: `INSERT INTO process_checkpoints (${columns.join(', ')}) FORMAT TabSeparated`,
  });
  const auth = Buffer.from(`${db.user}:${db.password}`).toString('base64');
  const body = Buffer.from(whole);
  await new Promise<void>((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `POST /?${query} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Basic ${auth}\r\n` +
          `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n`,
      );
      socket.end(body.subarray(0, Buffer.byteLength(whole.slice(0, sent))));
    });
    socket.on('data', () => undefined);
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}

const state = { version: 1, dedupe: { ids: Array.from({ length: 50_000 }, (_, i) => i) } };

describe('a checkpoint insert cut off mid-row', () => {
  it('stores nothing, and the last complete checkpoint stays the one loaded', async () => {
    const key = { url: db.url, groupId: 'g', topic: 't' };
    const next = [...checkpointRowPieces(key, { seq: 2, offsets: { '0': '9' }, state })].join('');
    await saveCheckpoint(db.client, key, { seq: 1, offsets: { '0': '5' }, state });
    // Cut inside the state JSON, and cut just before the row's end.
    for (const at of [Math.floor(next.length / 2), next.length - 2]) {
      await cutInsert(CHECKPOINT_COLUMNS, next, at);
    }
    const rows = await db.client.query({
      query: 'SELECT seq FROM process_checkpoints',
      format: 'JSONEachRow',
    });
    const seqs = (await rows.json<{ seq: string }>()).map((r) => Number(r.seq)).sort();
    expect(seqs.every((s) => s <= 1)).toBe(true);
    const loaded = await loadCheckpoint<typeof state>(db.client, key);
    expect(loaded?.offsets).toEqual({ '0': '5' });
    expect(loaded?.state).toEqual(state);
  });
});
