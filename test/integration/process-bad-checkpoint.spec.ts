/**
 * A checkpoint that cannot be read (a cut or hand-edited row, a version from the future) stops
 * `process` with one line naming it, and the process exits: nothing it opened keeps it alive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_COLUMNS } from '../../sinks/clickhouse/checkpoints.js';
import { insertTsv } from '../../sinks/clickhouse/insert.js';
import { buildOnce, runCli } from '../support/cli.js';
import { createProcessWorld, type ProcessWorld, syntheticMessages } from '../support/process-fixture.js';

let world: ProcessWorld;

beforeAll(async () => {
  buildOnce();
  world = await createProcessWorld('bad_ckpt');
  await world.producer.send(
    world.config.topics.tweetsRaw,
    syntheticMessages({ seed: 5, count: 50, startTime: Date.UTC(2026, 2, 1), tweetsPerSecond: 1 }),
  );
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function storeCheckpoint(group: string, seq: number, state: string): Promise<void> {
  const savedAt = String(Math.floor(Date.now() / 1000));
  const row = [group, world.config.topics.tweetsRaw, savedAt, '{}', state, String(seq)].join('\t');
  await insertTsv(world.clickhouse, 'process_checkpoints', CHECKPOINT_COLUMNS, () => [`${row}\n`], {
    url: world.config.clickhouse.url,
  });
}

describe('process with an unreadable checkpoint', () => {
  it.each([
    ['corrupt', '{"version":1,"dedupe":[1,2', 'is corrupt'],
    ['from a newer version', '{"version":7}', 'unknown version 7'],
  ])('%s: exits non-zero with one line, promptly', async (_, state, says) => {
    const group = `bad-${says.split(' ')[0]}`;
    await storeCheckpoint(group, 3, state);
    const result = await runCli(['process', '--exit-when-idle', '--group', group], {
      env: world.env,
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain(says);
    expect(lines[0]).toContain(group);
  });
});
