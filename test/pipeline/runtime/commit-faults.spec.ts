/**
 * The commit protocol under faults, on the in-memory driver (milliseconds, beside the real kill -9
 * specs in test/integration): a process that dies at any step of any commit — before writing, halfway
 * through writing, between writing and saving the checkpoint, between saving and committing offsets —
 * restarts to exactly the tables of an uninterrupted run; a step that fails for a while (Kafka or
 * ClickHouse away) is retried and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../lib/errors.js';
import { contents, memoryCheckpoints, memoryTables, memoryWriter } from '../../support/runtime-memory.js';
import { inputs, runWhole } from './world.js';

const STEPS = ['write', 'write-half', 'save', 'commit'] as const;
type Step = (typeof STEPS)[number];

class Died extends Error {}

const messages = inputs(3, 600);
const settings = { flushInputs: 100 };

/** A world whose ports die (or fail for a while) at the n-th call of one step. */
function world(fault?: { step: Step; at: number; kind: 'die' | 'unavailable' }) {
  const tables = memoryTables();
  const committed = new Map<number, bigint>();
  const calls: Record<Step, number> = { write: 0, 'write-half': 0, save: 0, commit: 0 };
  let armed = fault !== undefined;
  const hit = (step: Step): boolean => {
    if (!armed || fault === undefined) return false;
    const n = ++calls[step];
    if (fault.step !== step || n !== fault.at) return false;
    if (fault.kind === 'die') armed = false;
    if (fault.kind === 'unavailable' && n >= fault.at + 2) armed = false;
    return true;
  };
  const raise = (): never => {
    throw fault?.kind === 'die' ? new Died('killed') : new UnavailableError('clickhouse', 'away for a while');
  };
  const unavailableFor = (step: Step): void => {
    if (
      fault?.kind === 'unavailable' &&
      fault.step === step &&
      calls[step] >= fault.at &&
      calls[step] < fault.at + 2
    ) {
      calls[step]++;
      raise();
    }
  };
  const writer = memoryWriter(tables, () => {
    if (hit('write')) raise();
    unavailableFor('write');
    return hit('write-half') ? 'half' : undefined;
  });
  const store = memoryCheckpoints(() => {
    if (hit('save')) raise();
    unavailableFor('save');
  });
  const beforeCommit = (): void => {
    if (hit('commit')) raise();
    unavailableFor('commit');
  };
  return {
    tables,
    calls,
    run: () => runWhole({ partitions: messages, committed, writer, store }, { beforeCommit, settings }),
  };
}

const uninterrupted = (async () => {
  // Counts the calls of each step, with a fault that never fires.
  const w = world({ step: 'write', at: Number.POSITIVE_INFINITY, kind: 'die' });
  const summary = await w.run();
  return { summary, tables: contents(w.tables), calls: { ...w.calls, 'write-half': w.calls.write } };
})();

describe('the commit protocol', () => {
  it('writes every input once in an uninterrupted run', async () => {
    const { summary, tables } = await uninterrupted;
    expect(summary.consumed).toBe(600);
    expect(tables.intake).toHaveLength(600);
    expect(tables.tweets.length).toBeGreaterThan(100);
    expect(tables.hourly.length).toBeGreaterThan(3);
    expect(tables.signals).toHaveLength(tables.hourly.length);
    expect(tables.dlq.length).toBeGreaterThan(0);
  });

  it.each(STEPS)('restarts to the same tables when killed at the %s of any commit', async (step) => {
    const { calls, tables } = await uninterrupted;
    expect(calls[step]).toBeGreaterThanOrEqual(5);
    for (let at = 1; at <= calls[step]; at++) {
      const w = world({ step, at, kind: 'die' });
      await expect(w.run(), `${step} ${at}`).rejects.toThrow(
        step === 'write-half' ? 'died while writing' : 'killed',
      );
      await w.run();
      expect(contents(w.tables), `${step} ${at}`).toEqual(tables);
    }
  });

  it.each(STEPS.filter((s) => s !== 'write-half'))(
    'retries a %s that fails for a while and ends with the same tables',
    async (step) => {
      const w = world({ step, at: 2, kind: 'unavailable' });
      const summary = await w.run();
      expect(summary.consumed).toBe(600);
      expect(contents(w.tables)).toEqual((await uninterrupted).tables);
    },
  );
});
