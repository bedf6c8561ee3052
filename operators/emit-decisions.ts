import { Observable } from 'rxjs';
import { decisionId } from './decision-id.js';
import { HOUR_MS } from './hourly-windows.js';
import type { Bucket, Decision, Position, Strategy } from './types.js';

export interface DecisionOptions {
  readonly strategy: Strategy;
  /** Name in decisions and ids; defaults to the strategy's name (set it to tell parameter sets apart). */
  readonly name?: string;
  /** Where an earlier run stopped (its decider's snapshot()): positions held and closed buckets seen. */
  readonly from?: DeciderSnapshot;
}

/** What a decider knows between buckets: JSON-serialisable, so a checkpoint can carry it. */
export interface DeciderSnapshot {
  /** Per symbol, its last `historySize` closed buckets, oldest first. */
  readonly history: readonly Bucket[];
  /** The strategy's own position per symbol (what it decided, not what filled). */
  readonly positions: readonly Position[];
}

/** The plain decision core of {@link emitDecisions}: one instance per subscription or per task. */
export interface Decider {
  /**
   * Decides on one closed bucket. Buckets of a symbol must come in increasing start order (the window
   * guarantees it); a repeated or older bucket throws RangeError rather than deciding twice.
   */
  decide(bucket: Bucket): Decision;
  /** Everything needed to resume exactly here (pass it back as `from`). */
  snapshot(): DeciderSnapshot;
}

interface SymbolState {
  history: Bucket[];
  position: Position;
}

const EPSILON = 1e-9;

const flat = (symbol: string): Position => ({ symbol, exposure: 0, openedAt: null, lastTradeAt: null });

export function createDecider(options: DecisionOptions): Decider {
  const { strategy } = options;
  const name = options.name ?? strategy.name;
  const keep = Math.max(1, strategy.historySize);
  const states = new Map<string, SymbolState>();
  const stateOf = (symbol: string): SymbolState => {
    let state = states.get(symbol);
    if (state === undefined) {
      state = { history: [], position: flat(symbol) };
      states.set(symbol, state);
    }
    return state;
  };
  for (const b of options.from?.history ?? []) stateOf(b.symbol).history.push(b);
  for (const state of states.values()) state.history.splice(0, Math.max(0, state.history.length - keep));
  for (const p of options.from?.positions ?? []) stateOf(p.symbol).position = p;
  return {
    decide(bucket) {
      const state = stateOf(bucket.symbol);
      const previous = state.history[state.history.length - 1];
      // One decision per (strategy, symbol, bucket): a bucket at or before the last one is a wiring bug.
      if (previous !== undefined && bucket.start <= previous.start) {
        throw new RangeError(
          `bucket ${bucket.symbol}@${bucket.start} is not after ${previous.start}: decided already`,
        );
      }
      state.history.push(bucket);
      if (state.history.length > keep) state.history.splice(0, state.history.length - keep);
      const verdict = strategy.decide(state.history, state.position);
      const size = verdict.action === 'HOLD' ? 0 : verdict.size;
      state.position = nextPosition(state.position, verdict.action, size, bucket.start);
      return {
        kind: 'decision',
        id: decisionId(name, bucket.symbol, bucket.start),
        strategy: name,
        symbol: bucket.symbol,
        bucketStart: bucket.start,
        decidedAt: bucket.start + HOUR_MS,
        action: verdict.action,
        size,
        reason: verdict.reason,
        inputs: verdict.inputs,
      };
    },
    snapshot: () => ({
      history: [...states.values()].flatMap((s) => s.history),
      positions: [...states.values()].map((s) => s.position),
    }),
  };
}

/** The strategy's intended position after a decision: its own bookkeeping, independent of fills. */
export function nextPosition(
  position: Position,
  action: Decision['action'],
  size: number,
  at: number,
): Position {
  if (action === 'HOLD' || size <= 0) return position;
  const delta = action === 'BUY' ? size : -size;
  let exposure = Math.min(1, Math.max(0, position.exposure + delta));
  if (exposure < EPSILON) exposure = 0;
  if (exposure > 1 - EPSILON) exposure = 1;
  const openedAt = exposure === 0 ? null : (position.openedAt ?? at);
  return { symbol: position.symbol, exposure, openedAt, lastTradeAt: at };
}

function isBucket(item: { readonly kind: string }): item is Bucket {
  return item.kind === 'bucket';
}

/**
 * Runs a strategy over closed buckets: after each bucket it emits exactly one Decision
 * (BUY, SELL or HOLD) for (strategy, symbol, bucket), with a deterministic id. Every input item,
 * buckets included, passes through first, so stages can be chained (one per strategy). Per symbol
 * it keeps the last historySize buckets and the position the strategy itself decided on, so a
 * replay decides exactly what the live run decided.
 *
 *   input:  --B1--d--B2--|          (B = Bucket, d = anything else)
 *   output: --(B1 D1)--d--(B2 D2)--|
 *
 * Example: `buckets$.pipe(emitDecisions({ strategy: createStrategy('zscore', 'threshold=1.5') }))`; a
 * runtime that checkpoints passes its own `{ decider }` (createDecider) and snapshots it between items.
 * Cost: O(historySize) per bucket; memory: symbols x historySize buckets.
 */
export function emitDecisions(
  options: DecisionOptions | { readonly decider: Decider },
): <T extends { readonly kind: string }>(source: Observable<T>) => Observable<T | Decision> {
  return <T extends { readonly kind: string }>(source: Observable<T>) =>
    new Observable<T | Decision>((subscriber) => {
      const decider = 'decider' in options ? options.decider : createDecider(options);
      return source.subscribe({
        next(item) {
          subscriber.next(item);
          if (!isBucket(item)) return;
          let decision: Decision;
          try {
            decision = decider.decide(item);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(decision);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
