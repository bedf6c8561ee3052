/**
 * The windowed half of the chain for one tweets.scored partition (`process --stage window`): hourly
 * windows with one watermark per tweets.raw partition, and the decisions on the buckets they close.
 * A symbol always maps to one tweets.scored partition, so this partition holds every tweet of its
 * symbols and their whole decision history.
 *
 * Why it equals the single process: each record carries its source partition's watermark before it
 * (`watermarkBefore`), so the source's watermark is moved there first and the tweet then meets exactly
 * the watermark it met in the single process; lateness is decided by that source alone (own-lateness).
 * Records a replay of the score stage sends again are skipped by source offset (kept per source).
 */
import {
  type Bucket,
  createHourlyWindows,
  DEFAULT_WINDOW_OPTIONS,
  type Decision,
  type Dropped,
  type Position,
  type Strategy,
  type WindowOptions,
  type WindowSnapshot,
} from '../../operators/index.js';
import { createDecisionBook } from './decision-book.js';
import { createOwnLateness } from './own-lateness.js';
import type { RepartitionItem } from './scored-records.js';

export interface WindowOutput {
  readonly buckets: Bucket[];
  readonly decisions: Decision[];
  readonly late: Dropped[];
}

export interface WindowPartitionSnapshot {
  readonly version: 1;
  readonly window: WindowSnapshot;
  readonly history: readonly Bucket[];
  readonly positions: readonly Position[];
  /**
   * Last record applied, per tweets.raw partition: its source offset and symbol (a tweet for several
   * symbols of this partition sends one record per symbol, in symbol order, under one offset).
   */
  readonly applied: Readonly<Record<string, AppliedPosition>>;
}

export interface AppliedPosition {
  readonly offset: string;
  readonly symbol: string;
}

export interface WindowPartitionOptions {
  /** Every tweets.raw partition: the window waits for all of them. */
  readonly sources: readonly number[];
  readonly strategy: Strategy;
  readonly strategyName?: string;
  readonly window?: WindowOptions;
}

export interface WindowPartition {
  /** Applies one record or mark; returns false when it was a replayed record (skipped). */
  apply(item: RepartitionItem): boolean;
  /** End of input: closes every open bucket. */
  flushWindows(): void;
  drain(): WindowOutput;
  snapshot(): WindowPartitionSnapshot;
  readonly pendingInputs: number;
}

function emptyOutput(): WindowOutput {
  return { buckets: [], decisions: [], late: [] };
}

export function createWindowPartition(
  options: WindowPartitionOptions,
  from?: WindowPartitionSnapshot,
): WindowPartition {
  const windowOptions = { ...DEFAULT_WINDOW_OPTIONS, ...options.window };
  const bound = windowOptions.maxOutOfOrdernessMs;
  const windows = createHourlyWindows({ ...windowOptions, sources: options.sources }, from?.window);
  const lateness = createOwnLateness(windows, windowOptions.allowedLatenessMs);
  const book = createDecisionBook({
    strategy: options.strategy,
    ...(options.strategyName === undefined ? {} : { strategyName: options.strategyName }),
    initialHistory: from?.history ?? [],
    initialPositions: from?.positions ?? [],
  });
  const applied = new Map<number, { offset: bigint; symbol: string }>(
    Object.entries(from?.applied ?? {}).map(
      ([p, a]) => [Number(p), { offset: BigInt(a.offset), symbol: a.symbol }] as const,
    ),
  );
  let out = emptyOutput();
  let pending = 0;

  const take = (items: readonly (Bucket | Dropped)[]): void => book.record(items, out);
  const advance = (source: number, watermarkBefore: number | null): void => {
    if (watermarkBefore === null) return;
    const time = watermarkBefore - bound;
    lateness.advance(source, time);
    take(windows.step({ kind: 'watermark', time }, source));
  };

  return {
    apply(item) {
      if (!options.sources.includes(item.source)) {
        throw new RangeError(`source partition ${item.source} is not one of ${options.sources.join(',')}`);
      }
      pending++;
      if (item.kind === 'mark') {
        advance(item.source, item.watermarkBefore);
        return true;
      }
      const offset = BigInt(item.offset);
      const symbol = item.tweet.symbols[0] ?? '';
      const last = applied.get(item.source);
      if (last !== undefined && (offset < last.offset || (offset === last.offset && symbol <= last.symbol))) {
        return false; // sent again by a replay of the score stage: applied already
      }
      applied.set(item.source, { offset, symbol });
      advance(item.source, item.watermarkBefore);
      const late = lateness.check(item.tweet, item.source);
      if (late !== null) {
        out.late.push(late);
        return true;
      }
      take(windows.step(item.tweet, item.source));
      lateness.advance(item.source, item.tweet.createdAt - bound);
      return true;
    },
    flushWindows() {
      take(windows.flush());
    },
    drain() {
      const taken = out;
      out = emptyOutput();
      pending = 0;
      return taken;
    },
    snapshot: () => ({
      version: 1,
      window: windows.snapshot(),
      history: book.history(),
      positions: book.positions(),
      applied: Object.fromEntries(
        [...applied].map(([p, a]) => [String(p), { offset: a.offset.toString(), symbol: a.symbol }]),
      ),
    }),
    get pendingInputs() {
      return pending;
    },
  };
}
