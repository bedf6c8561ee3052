import { Observable } from 'rxjs';
import { decisionId } from './decision-id.js';
import { HOUR_MS } from './hourly-windows.js';
import type { Bucket, Decision, Position, Strategy } from './types.js';

export interface DecisionOptions {
  readonly strategy: Strategy;
  /** Name in decisions and ids; defaults to the strategy's name (set it to tell parameter sets apart). */
  readonly name?: string;
  /** Positions held when this run starts (restored from the strategy's own earlier decisions). */
  readonly initialPositions?: readonly Position[];
  /** Closed buckets from before this run, oldest first, so history-based strategies resume warm. */
  readonly initialHistory?: readonly Bucket[];
}

interface SymbolState {
  history: Bucket[];
  position: Position;
}

const EPSILON = 1e-9;

/**
 * The plain decision core of {@link emitDecisions}: one instance per subscription. Buckets of a
 * symbol must come in increasing start order (the window guarantees it); a repeated or older bucket
 * throws RangeError rather than deciding twice.
 */
export function createDecider(options: DecisionOptions): (bucket: Bucket) => Decision {
  const { strategy } = options;
  const name = options.name ?? strategy.name;
  const keep = Math.max(1, strategy.historySize);
  const states = new Map<string, SymbolState>();
  const stateOf = (symbol: string): SymbolState => {
    let state = states.get(symbol);
    if (state === undefined) {
      const position = options.initialPositions?.find((p) => p.symbol === symbol) ?? {
        symbol,
        exposure: 0,
        openedAt: null,
        lastTradeAt: null,
      };
      const history = (options.initialHistory ?? []).filter((b) => b.symbol === symbol).slice(-keep);
      state = { history, position };
      states.set(symbol, state);
    }
    return state;
  };
  return (bucket) => {
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
 * Example: `buckets$.pipe(emitDecisions({ strategy: createStrategy('zscore', 'threshold=1.5') }))`
 * Cost: O(historySize) per bucket; memory: symbols x historySize buckets.
 */
export function emitDecisions(
  options: DecisionOptions,
): <T extends { readonly kind: string }>(source: Observable<T>) => Observable<T | Decision> {
  return <T extends { readonly kind: string }>(source: Observable<T>) =>
    new Observable<T | Decision>((subscriber) => {
      const decide = createDecider(options);
      return source.subscribe({
        next(item) {
          subscriber.next(item);
          if (!isBucket(item)) return;
          let decision: Decision;
          try {
            decision = decide(item);
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
