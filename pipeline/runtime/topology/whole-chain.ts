/**
 * The whole chain on the consuming thread (`--stage all` with no score threads, a backtest with
 * `--no-replay-thread`, the in-memory tests): a score task per tweets.raw partition, whose results go to
 * the collector and to one window task over every partition. One group: the state of all of them.
 */
import type { ScoreChain, WindowChain } from '../chain.js';
import type { GroupState, ProcessState } from '../checkpoint.js';
import type { InputMessage } from '../message.js';
import { Collector, type CollectorOptions } from '../output/collector.js';
import { createScoreTask, type ScoreSettings, type ScoreTask } from '../score-task.js';
import { createWindowTask, type WindowSettings, type WindowTask } from '../window-task.js';
import { idleEventTime, type Topology } from './topology.js';

export interface WholeChainOptions {
  readonly chain: { readonly scoreChain: ScoreChain; readonly windowChain: WindowChain };
  readonly score: ScoreSettings;
  /** `sources`: every tweets.raw partition. */
  readonly window: WindowSettings;
  readonly collector: CollectorOptions;
}

export function createWholeChain(options: WholeChainOptions): Topology {
  const collector = new Collector(options.collector);
  const scorers = new Map<number, ScoreTask>();
  let window: WindowTask | null = null;
  let latest: number | null = null;
  const partitions = [...options.window.sources].sort((a, b) => a - b);
  const windowOf = (): WindowTask => {
    if (window === null) throw new RangeError('the whole chain was not opened');
    return window;
  };
  return {
    layout: 'all',
    open(_key, _partitions, from) {
      const state = from as ProcessState | undefined;
      for (const p of partitions) {
        const dedupe = state?.dedupe[String(p)];
        scorers.set(
          p,
          createScoreTask(p, options.chain.scoreChain, options.score, dedupe ? { dedupe } : undefined),
        );
      }
      window = createWindowTask(options.chain.windowChain, options.window, collector, state);
    },
    drop() {
      // One group of every partition: it is never handed to another member piecewise.
    },
    push(partition, messages: readonly InputMessage[]) {
      const scorer = scorers.get(partition);
      if (scorer === undefined)
        throw new RangeError(`partition ${partition} is not one of ${partitions.join(',')}`);
      const w = windowOf();
      for (const m of messages) {
        const r = scorer.push(m);
        collector.score(r);
        if (latest === null || r.eventTime > latest) latest = r.eventTime;
        if (r.item.kind === 'scored') w.tweet(partition, r.item);
        else w.advance(partition, r.eventTime);
      }
    },
    cut(keys) {
      const batch = collector.take();
      const states = new Map<string, GroupState>();
      if (keys.length > 0) {
        const dedupe = Object.fromEntries(
          partitions.map((p) => [String(p), scorers.get(p)!.dedupeSnapshot()]),
        );
        const { version, ...rest } = windowOf().snapshot();
        for (const key of keys) states.set(key, { version, dedupe, ...rest });
      }
      return Promise.resolve({ batch, states });
    },
    idle(now, idleFor) {
      const eventTime = idleEventTime(now, idleFor, latest);
      if (eventTime !== null) windowOf().idle(eventTime);
    },
    finish: () => windowOf().finish(),
    get pendingOutput() {
      return collector.pendingOutput;
    },
    get latestEventTime() {
      return latest;
    },
    close: () => Promise.resolve(),
  };
}
