/**
 * Process checkpoints in ClickHouse: operator state plus the offsets it corresponds to. Saved before
 * the offsets are committed, loaded on start; the newest `seq` wins (ReplacingMergeTree(seq)).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { RejectedError } from '../errors.js';
import { toClickHouseError } from './client.js';
import { insertRows } from './insert.js';
import { quoteString } from './sql.js';

export interface Checkpoint<State> {
  readonly seq: number;
  /** Next offset to read, per partition. */
  readonly offsets: Readonly<Record<string, string>>;
  readonly state: State;
  readonly savedAt: number;
}

export interface CheckpointKey {
  readonly url: string;
  readonly groupId: string;
  readonly topic: string;
}

export async function loadCheckpoint<State>(
  client: ClickHouseClient,
  { url, groupId, topic }: CheckpointKey,
): Promise<Checkpoint<State> | null> {
  let rows: { seq: string; offsets: string; state: string; saved_at: number }[];
  try {
    const result = await client.query({
      query: `SELECT seq, offsets, state, toUnixTimestamp(saved_at) AS saved_at FROM process_checkpoints FINAL
              WHERE group_id = ${quoteString(groupId)} AND topic = ${quoteString(topic)}`,
      format: 'JSONEachRow',
    });
    rows = await result.json();
  } catch (error) {
    throw toClickHouseError(error, `loading the checkpoint of ${groupId}`, url);
  }
  const row = rows[0];
  if (row === undefined) return null;
  try {
    return {
      seq: Number(row.seq),
      offsets: JSON.parse(row.offsets) as Record<string, string>,
      state: JSON.parse(row.state) as State,
      savedAt: Number(row.saved_at) * 1000,
    };
  } catch (error) {
    throw new RejectedError('clickhouse', `checkpoint of ${groupId} on ${topic} is corrupt`, error);
  }
}

export async function saveCheckpoint<State>(
  client: ClickHouseClient,
  key: CheckpointKey,
  checkpoint: Omit<Checkpoint<State>, 'savedAt'>,
): Promise<void> {
  await insertRows(
    client,
    'process_checkpoints',
    [
      {
        group_id: key.groupId,
        topic: key.topic,
        seq: checkpoint.seq,
        saved_at: Math.floor(Date.now() / 1000),
        offsets: JSON.stringify(checkpoint.offsets),
        state: JSON.stringify(checkpoint.state),
      },
    ],
    { url: key.url },
  );
}
