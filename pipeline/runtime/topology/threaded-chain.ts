/**
 * The whole chain with its score half in score threads (`--stage all` by default, backtest): the threads
 * run each tweets.raw partition's score task and encode the big tables' rows; this thread windows their
 * records, in the order the messages were pushed, whatever thread answers first. A cut is a barrier in
 * that order, so its outputs and states (the threads' dedupe memories, this thread's window) cover
 * exactly the messages pushed before it: a consistent checkpoint, as on one thread.
 */
import type { WindowChain } from '../chain.js';
import type { GroupState, ProcessState } from '../checkpoint.js';
import { Collector, type CollectorOptions } from '../output/collector.js';
import { windowTweet } from '../output/window-tweet.js';
import { type ScoreThreads, startScoreThreads } from '../threads/score-threads.js';
import type { CutReply } from '../threads/score-worker.js';
import type { ScoredRecordHandler } from '../threads/scored-frames.js';
import type { ScorerSettings } from '../threads/thread-scorer.js';
import { createWindowTask, type WindowSettings, type WindowTask } from '../window-task.js';
import { idleEventTime, type Topology } from './topology.js';

export interface ThreadedChainOptions {
  readonly windowChain: WindowChain;
  /** URL of the chain module the threads load (the same as windowChain's). */
  readonly chainModule: string;
  readonly threads: number;
  readonly score: ScorerSettings;
  /** `sources`: every tweets.raw partition. */
  readonly window: WindowSettings;
  readonly collector: CollectorOptions;
  /** V8 young generation per thread, MB. */
  readonly youngGenerationMb?: number;
  /** After each scored frame was windowed: its message count and latest Kafka timestamp (progress). */
  readonly onFrame?: (messages: number, maxTimestamp: number) => void;
}

export function createThreadedChain(options: ThreadedChainOptions): Topology {
  const collector = new Collector(options.collector);
  const partitions = [...options.window.sources].sort((a, b) => a - b);
  let window: WindowTask | null = null;
  let threads: ScoreThreads | null = null;
  let latest: number | null = null;
  let onFailure: (error: Error) => void = () => undefined;
  const started = (): { window: WindowTask; threads: ScoreThreads } => {
    if (window === null || threads === null) throw new RangeError('the threaded chain was not opened');
    return { window, threads };
  };
  /** Runs `step` in push order; a failure reaches onFailure. */
  const inOrder = (step: () => void): void => {
    started()
      .threads.barrier(null, step)
      .catch(() => undefined);
  };
  return {
    layout: 'all',
    open(_key, _partitions, from) {
      const state = from as ProcessState | undefined;
      const task = createWindowTask(options.windowChain, options.window, collector, state);
      window = task;
      const records: ScoredRecordHandler = {
        advance: (partition, time) => task.advance(partition, time),
        tweet: (partition, createdAt, score, weight, authorId, symbols, id) =>
          task.tweet(partition, windowTweet(id ?? '', createdAt, authorId, symbols, score, weight)),
      };
      threads = startScoreThreads({
        partitions,
        count: options.threads,
        settings: options.score,
        chainModule: options.chainModule,
        rows: options.collector.rows ? { topic: options.collector.topic } : undefined,
        ...(state ? { from: state.dedupe } : {}),
        records,
        onFrame(frame) {
          collector.absorbTally(frame.tally);
          for (const r of frame.rejections) collector.reject(r);
          if (frame.tally.consumed > 0 && (latest === null || frame.tally.latestEventTime > latest)) {
            latest = frame.tally.latestEventTime;
          }
          options.onFrame?.(frame.tally.consumed, frame.maxTimestamp);
        },
        onFailure: (error) => onFailure(error),
        ...(options.youngGenerationMb === undefined ? {} : { youngGenerationMb: options.youngGenerationMb }),
      });
    },
    drop() {
      // One group of every partition: it is never handed to another member piecewise.
    },
    // Each message names its partition: the threads route it.
    push(_partition, messages) {
      const { threads: t } = started();
      for (const m of messages) t.add(m);
      t.send();
    },
    cut(keys) {
      const { threads: t, window: w } = started();
      return t.barrier(
        keys.length > 0 ? { state: true } : { state: false },
        (replies: readonly CutReply[]) => {
          for (const r of replies) collector.absorbRows(r.rows);
          const batch = collector.take();
          const states = new Map<string, GroupState>();
          if (keys.length > 0) {
            const all = Object.assign({}, ...replies.map((r) => r.dedupe));
            const dedupe = Object.fromEntries(partitions.map((p) => [String(p), all[String(p)]]));
            const { version, ...rest } = w.snapshot();
            for (const key of keys) states.set(key, { version, dedupe, ...rest });
          }
          return { batch, states };
        },
      );
    },
    idle(now, idleFor) {
      const eventTime = idleEventTime(now, idleFor, latest);
      if (eventTime !== null) inOrder(() => started().window.idle(eventTime));
    },
    finish() {
      inOrder(() => started().window.finish());
    },
    get pendingOutput() {
      return collector.pendingOutput;
    },
    get latestEventTime() {
      return latest;
    },
    watch(handler) {
      onFailure = handler;
    },
    close: () => threads?.close() ?? Promise.resolve(),
  };
}
