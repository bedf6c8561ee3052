/**
 * `process --stage window`: a window task per tweets.scored partition, each its own group (a symbol
 * always lands in one partition, so each holds its symbols' whole history). Writes buckets, decisions
 * and orders as `--stage all` does.
 *
 * Why it equals `--stage all`: each record carries its source partition's watermark before it
 * (`watermarkBefore`), so the source is advanced there first and the tweet meets exactly the watermark
 * it met in the single process; lateness is decided by that source alone (hourly-windows.ts). Records a
 * replayed score stage sends again are skipped by source offset, kept per source in the state.
 */
import { describeError, InputError } from '../../../lib/errors.js';
import type { Logger } from '../../logger.js';
import type { WindowChain } from '../chain.js';
import type { AppliedPosition, GroupState, WindowStageState } from '../checkpoint.js';
import { Collector, type CollectorOptions } from '../output/collector.js';
import { decodeItem, type RepartitionItem } from '../output/scored-records.js';
import { createWindowTask, type WindowSettings, type WindowTask } from '../window-task.js';
import type { Topology } from './topology.js';

export interface WindowStageOptions {
  readonly windowChain: WindowChain;
  /** `sources`: every tweets.raw partition (the window waits for all of them). */
  readonly window: WindowSettings;
  /** tweets.scored (where records come from). */
  readonly topic: string;
  readonly collector: CollectorOptions;
  readonly log: Logger;
  /** Counts what was skipped: records sent again by a replayed score stage, messages not ours. */
  readonly skipped: { replayed: number; invalid: number };
}

interface Lane {
  readonly task: WindowTask;
  readonly applied: Map<number, { offset: bigint; symbol: string }>;
}

export function createWindowStage(options: WindowStageOptions): Topology {
  const collector = new Collector(options.collector);
  const lanes = new Map<string, Lane>();
  const keyOf = new Map<number, string>();
  const { sources } = options.window;
  const open = (from: WindowStageState | undefined): Lane => ({
    task: createWindowTask(options.windowChain, options.window, collector, from),
    applied: new Map(
      Object.entries(from?.applied ?? {}).map(([p, a]) => [
        Number(p),
        { offset: BigInt(a.offset), symbol: a.symbol },
      ]),
    ),
  });
  const apply = (lane: Lane, item: RepartitionItem): void => {
    if (!sources.includes(item.source)) {
      throw new RangeError(`source partition ${item.source} is not one of ${sources.join(',')}`);
    }
    if (item.kind === 'tweet') {
      const offset = BigInt(item.offset);
      const symbol = item.tweet.symbols[0] ?? '';
      const last = lane.applied.get(item.source);
      if (last !== undefined && (offset < last.offset || (offset === last.offset && symbol <= last.symbol))) {
        options.skipped.replayed++; // sent again by a replay of the score stage: applied already
        return;
      }
      lane.applied.set(item.source, { offset, symbol });
    }
    if (item.watermarkBefore !== null) lane.task.advance(item.source, item.watermarkBefore);
    if (item.kind === 'tweet') lane.task.tweet(item.source, item.tweet);
  };
  return {
    layout: 'partition',
    open(key, [partition], from) {
      if (partition === undefined) throw new RangeError(`window group ${key} has no partition`);
      lanes.set(key, open(from as WindowStageState | undefined));
      keyOf.set(partition, key);
    },
    drop(key) {
      lanes.delete(key);
      for (const [p, k] of keyOf) if (k === key) keyOf.delete(p);
    },
    push(partition, messages) {
      const lane = lanes.get(keyOf.get(partition) ?? '');
      if (lane === undefined) throw new RangeError(`partition ${partition} is not open here`);
      for (const m of messages) {
        let item: RepartitionItem;
        try {
          item = decodeItem(m.value, `${options.topic}/${partition}/${m.offset}`);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          options.skipped.invalid++;
          options.log.warn({ err: describeError(error) }, 'skipping a message that is not a scored record');
          continue;
        }
        apply(lane, item);
      }
    },
    cut(keys) {
      const states = new Map<string, GroupState>();
      for (const key of keys) {
        const lane = lanes.get(key);
        if (lane === undefined) continue;
        const applied: Record<string, AppliedPosition> = Object.fromEntries(
          [...lane.applied].map(([p, a]) => [String(p), { offset: a.offset.toString(), symbol: a.symbol }]),
        );
        states.set(key, { ...lane.task.snapshot(), applied });
      }
      return Promise.resolve({ batch: collector.take(), states });
    },
    idle() {
      // The window stage learns time only from tweets.scored: the score stage sends the idle marks.
    },
    finish() {
      for (const lane of lanes.values()) lane.task.finish();
    },
    finishGroup(_key, from) {
      open(from as WindowStageState | undefined).task.finish();
    },
    get pendingOutput() {
      return collector.pendingOutput;
    },
    get latestEventTime() {
      return null;
    },
    close: () => Promise.resolve(),
  };
}
