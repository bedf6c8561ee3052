/**
 * Closed buckets -> decisions, with the history and positions kept beside the decider so a snapshot can
 * hand the next run exactly what it had. Shared by the single engine and the window stage.
 */
import {
  type Bucket,
  createDecider,
  type Decision,
  type Dropped,
  nextPosition,
  type Position,
  type Strategy,
} from '../../operators/index.js';

export interface DecisionBookOptions {
  readonly strategy: Strategy;
  readonly strategyName?: string;
  readonly initialHistory?: readonly Bucket[];
  readonly initialPositions?: readonly Position[];
}

/** Where the window's emissions go: closed buckets with their decisions, and late tweets. */
export interface WindowOutput {
  readonly buckets: Bucket[];
  readonly decisions: Decision[];
  readonly late: Dropped[];
}

export interface DecisionBook {
  decide(bucket: Bucket): Decision;
  /** Routes what the window emitted into `into`: each bucket with its decision, each late tweet. */
  record(items: readonly (Bucket | Dropped)[], into: WindowOutput): void;
  history(): Bucket[];
  positions(): Position[];
}

export function createDecisionBook(options: DecisionBookOptions): DecisionBook {
  const keep = Math.max(1, options.strategy.historySize);
  const initialHistory = options.initialHistory ?? [];
  const initialPositions = options.initialPositions ?? [];
  const decide = createDecider({
    strategy: options.strategy,
    name: options.strategyName ?? options.strategy.name,
    initialHistory,
    initialPositions,
  });
  const history = new Map<string, Bucket[]>();
  for (const b of initialHistory) (history.get(b.symbol) ?? history.set(b.symbol, []).get(b.symbol)!).push(b);
  const positions = new Map(initialPositions.map((p) => [p.symbol, p] as const));
  const book: DecisionBook = {
    decide(bucket) {
      const decision = decide(bucket);
      const list = history.get(bucket.symbol) ?? history.set(bucket.symbol, []).get(bucket.symbol)!;
      list.push(bucket);
      if (list.length > keep) list.splice(0, list.length - keep);
      const position = positions.get(bucket.symbol) ?? { symbol: bucket.symbol, exposure: 0, openedAt: null };
      positions.set(bucket.symbol, nextPosition(position, decision.action, decision.size, bucket.start));
      return decision;
    },
    record(items, into) {
      for (const item of items) {
        if (item.kind === 'dropped') {
          into.late.push(item);
        } else {
          into.buckets.push(item);
          into.decisions.push(book.decide(item));
        }
      }
    },
    history: () => [...history.values()].flat(),
    positions: () => [...positions.values()],
  };
  return book;
}
