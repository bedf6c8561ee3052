/**
 * A user's own operator, added with one change (a chain module, as the README shows it), is what every
 * mode runs: `process --stage all` on one thread and in score threads, the split stages, and a replay
 * (the backtest's: nothing checkpointed). Each drops what the extra filter drops, with its reason, and
 * all of them end with the same buckets and decisions.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type ChainModule, loadChainModule } from '../../../pipeline/runtime/chain-module.js';
import { scoreSettingsOf, windowSettingsOf } from '../../../pipeline/runtime/chain-settings.js';
import type { InputMessage } from '../../../pipeline/runtime/message.js';
import { createScoreStage } from '../../../pipeline/runtime/topology/score-stage.js';
import { createThreadedChain } from '../../../pipeline/runtime/topology/threaded-chain.js';
import type { Topology } from '../../../pipeline/runtime/topology/topology.js';
import { createWholeChain } from '../../../pipeline/runtime/topology/whole-chain.js';
import { createWindowStage } from '../../../pipeline/runtime/topology/window-stage.js';
import { contents, memoryCheckpoints, memoryTables, memoryWriter } from '../../support/runtime-memory.js';
import { engine, inputs, runWhole, silent, TOPIC } from './world.js';

const MODULE = new URL('../../fixtures/chain/moon-only.ts', import.meta.url).href;
const SCORED = 'tweets.scored';
const messages = inputs(5, 900);
const sources = messages.map((_, p) => p);
const settings = engine();
const open: Topology[] = [];
afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
});

async function run(topology: (chain: ChainModule) => Topology, store = true) {
  const chain = await loadChainModule(MODULE);
  const tables = memoryTables();
  const t = topology(chain);
  open.push(t);
  const world = {
    partitions: messages,
    committed: new Map<number, bigint>(),
    writer: memoryWriter(tables),
    store: store ? memoryCheckpoints() : null,
  };
  await runWhole(world, { topology: () => t });
  return tables;
}

const whole = (chain: ChainModule) =>
  createWholeChain({
    chain,
    score: scoreSettingsOf(settings),
    window: windowSettingsOf(settings, sources),
    collector: { topic: TOPIC, rows: true },
  });

/** What the intake ledger says the extra filter dropped. */
const droppedByIt = (t: ReturnType<typeof contents>) =>
  t.intake.filter(([, row]) => row.endsWith('\tdropped\tfilter\tno_moon\tx')).length;

// Several runs of 900 inputs each, a pair of them in score threads.
describe('a chain module of your own', { timeout: 60_000 }, () => {
  it('is what process runs on one thread: tweets without "moon" drop with its reason', async () => {
    const t = contents(await run(whole));
    expect(droppedByIt(t)).toBeGreaterThan(50);
    expect(t.tweets.length).toBeGreaterThan(10);
    expect(t.tweets.every(([, row]) => /moon/i.test(row))).toBe(true);
  });

  it('is what the score threads run', async () => {
    const threaded = contents(
      await run((chain) =>
        createThreadedChain({
          windowChain: chain.windowChain,
          chainModule: MODULE,
          threads: 2,
          score: { scoring: {}, ...(settings.dedupe ? { dedupe: settings.dedupe } : {}) },
          window: windowSettingsOf(settings, sources),
          collector: { topic: TOPIC, rows: true },
        }),
      ),
    );
    expect(threaded).toEqual(contents(await run(whole)));
  });

  it('is what a replay runs (the backtest: nothing checkpointed)', async () => {
    const replayed = contents(await run(whole, false));
    const live = contents(await run(whole));
    expect(replayed.hourly).toEqual(live.hourly);
    expect(replayed.signals).toEqual(live.signals);
  });

  it('is what the split stages run', async () => {
    const scoring = await run((chain) =>
      createScoreStage({
        scoreChain: chain.scoreChain,
        score: scoreSettingsOf(settings),
        topic: TOPIC,
        scoredPartitions: [0, 1],
        collector: { topic: TOPIC, rows: true },
      }),
    );
    // tweets.scored as Kafka would partition it: records by symbol, marks where they are addressed.
    const byPartition: InputMessage[][] = [[], []];
    for (const m of scoring.scoredLog) {
      const p = m.partition ?? [...String(m.key)].reduce((h, c) => h + c.charCodeAt(0), 0) % 2;
      const list = byPartition[p]!;
      list.push({
        partition: p,
        offset: String(list.length),
        value: Buffer.from(String(m.value)),
        timestamp: 0,
      });
    }
    const chain = await loadChainModule(MODULE);
    const windowTables = memoryTables();
    const stage = createWindowStage({
      windowChain: chain.windowChain,
      window: windowSettingsOf(settings, sources),
      topic: SCORED,
      collector: { topic: SCORED, rows: false },
      log: silent,
      skipped: { replayed: 0, invalid: 0 },
    });
    await runWhole(
      {
        partitions: byPartition,
        committed: new Map(),
        writer: memoryWriter(windowTables),
        store: memoryCheckpoints(),
      },
      { topology: () => stage },
    );
    const live = contents(await run(whole));
    const scored = contents(scoring);
    const windowed = contents(windowTables);
    expect(droppedByIt(scored)).toBe(droppedByIt(live));
    expect(scored.intake).toEqual(live.intake);
    expect(scored.tweets).toEqual(live.tweets);
    expect(windowed.hourly).toEqual(live.hourly);
    expect(windowed.signals).toEqual(live.signals);
  });
});
