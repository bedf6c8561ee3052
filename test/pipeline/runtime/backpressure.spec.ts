/**
 * Backpressure by bytes in flight, as Kafka Streams does it: the runner pauses the partitions instead of
 * blocking the handler while too much input is consumed and not yet durable, and resumes them when a
 * commit completes; nothing is lost or taken twice meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { scoreSettingsOf, windowSettingsOf } from '../../../pipeline/runtime/chain-settings.js';
import { createMemoryDriver } from '../../../pipeline/runtime/drivers/memory.js';
import type { OutputWriter } from '../../../pipeline/runtime/output/table-writer.js';
import { runRuntime } from '../../../pipeline/runtime/runner.js';
import { runtimeSettings } from '../../../pipeline/runtime/settings.js';
import { createWholeChain } from '../../../pipeline/runtime/topology/whole-chain.js';
import { contents, memoryCheckpoints, memoryTables, memoryWriter } from '../../support/runtime-memory.js';
import { CHAIN, engine, inputs, silent, TOPIC } from './world.js';

const messages = inputs(8, 600);
const bytesOf = (p: number, from: number, to: number) =>
  messages[p]!.slice(from, to).reduce((n, m) => n + (m.value?.length ?? 0), 0);

describe('the runner under backpressure', () => {
  it('pauses every partition while held bytes are over the bound, and resumes after the commit', async () => {
    const tables = memoryTables();
    const inner = memoryWriter(tables);
    let release!: () => void;
    let blocked: Promise<void> | null = new Promise((resolve) => {
      release = resolve;
    });
    const writer: OutputWriter = {
      async write(batch) {
        if (blocked) await blocked; // the first commit waits until the test lets it go
        await inner.write(batch);
      },
    };
    const driver = createMemoryDriver({ partitions: messages, batchSize: 20 });
    const events: string[] = [];
    const paused = {
      ...driver,
      pause: (ps: readonly number[]) => {
        events.push(`pause ${ps.join(',')}`);
        driver.pause(ps);
      },
      resume: (ps: readonly number[]) => {
        events.push(`resume ${ps.join(',')}`);
        driver.resume(ps);
      },
    };
    const maxHeldBytes = bytesOf(0, 0, 60);
    const settings = engine();
    const taken: number[] = [];
    const run = runRuntime({
      name: 'process',
      driver: paused,
      topology: createWholeChain({
        chain: CHAIN,
        score: scoreSettingsOf(settings),
        window: windowSettingsOf(settings, [0, 1, 2]),
        collector: { topic: TOPIC, rows: true },
      }),
      topic: TOPIC,
      writer,
      store: memoryCheckpoints(),
      settings: runtimeSettings({ flushInputs: 40, maxHeldBytes, flushIntervalMs: 60_000, drainCheckMs: 5 }),
      exitWhenIdle: true,
      log: silent,
      backoffMs: 1,
      hooks: { onTaken: (m) => taken.push(m.length) },
    });
    // While the first commit hangs, input stops at the bound (plus the batch that crossed it).
    await expect.poll(() => events[0], { timeout: 5_000 }).toBe('pause 0,1,2');
    const whileBlocked = taken.reduce((a, b) => a + b, 0);
    // Nothing to wait for: that no more input comes can only be seen over a while.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(taken.reduce((a, b) => a + b, 0)).toBe(whileBlocked);
    expect(whileBlocked).toBeLessThan(600);
    blocked = null;
    release();
    const summary = await run;
    expect(events).toContain('resume 0,1,2');
    expect(summary.consumed).toBe(600);
    expect(contents(tables).intake).toHaveLength(600);
  });
});
