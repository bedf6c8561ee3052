/**
 * One tweets.raw partition's share of the score half: its dedupe memory, its watermark (the latest event
 * time of every input so far, dropped ones included) and the score chain (chain.ts) subscribed once over
 * them. Each input comes out as exactly one ScoreResult, synchronously, so a snapshot between two inputs
 * covers exactly the inputs before it. Where it runs does not matter: in the consuming thread or in a
 * score thread, a partition's results depend on its own order only.
 */
import { Observable, type Subscriber } from 'rxjs';
import {
  createDedupeState,
  type DedupeOptions,
  type DedupeSnapshot,
  type Dropped,
  type FilterOptions,
  type NormalizeOptions,
  type ScoredTweet,
  type ScoringModel,
  type TweetWeightOptions,
} from '../../operators/index.js';
import type { ScoreChain } from './chain.js';
import type { InputMessage } from './message.js';
import type { Outcome } from './tally.js';

/** What every partition's score half is built from (the model is built once per thread). */
export interface ScoreSettings {
  readonly model: ScoringModel;
  readonly filter?: FilterOptions;
  readonly weight?: TweetWeightOptions;
  readonly normalize?: NormalizeOptions;
  readonly dedupe?: DedupeOptions;
}

export interface ScoreTaskSnapshot {
  readonly version: 1;
  readonly dedupe: DedupeSnapshot;
  /** Max event time of every message consumed so far; null before any. */
  readonly watermark: number | null;
}

export interface ScoreResult {
  readonly input: InputMessage;
  readonly outcome: Outcome;
  /** The scored tweet (stored), or why not (dropped; rejected = dropped by normalize, for the DLQ). */
  readonly item: ScoredTweet | Dropped;
  /** The input's event time: created_at when normalize found one, else the Kafka timestamp. */
  readonly eventTime: number;
  /** The partition's watermark before this input: the largest event time of the inputs before it. */
  readonly watermarkBefore: number | null;
}

export interface ScoreTask {
  readonly partition: number;
  push(input: InputMessage): ScoreResult;
  snapshot(): ScoreTaskSnapshot;
  /** Its dedupe memory alone (score threads hand it over in typed arrays). */
  dedupeSnapshot(): DedupeSnapshot;
  readonly watermark: number | null;
}

export function createScoreTask(
  partition: number,
  chain: ScoreChain,
  settings: ScoreSettings,
  from?: { readonly dedupe?: DedupeSnapshot; readonly watermark?: number | null },
): ScoreTask {
  const dedupe = createDedupeState(settings.dedupe, from?.dedupe);
  let watermark = from?.watermark ?? null;
  let input$!: Subscriber<Uint8Array | null>;
  let out: ScoredTweet | Dropped | null = null;
  let emitted = 0;
  let failure: unknown = null;
  const context = {
    dedupe,
    model: settings.model,
    ...(settings.filter ? { filter: settings.filter } : {}),
    ...(settings.weight ? { weight: settings.weight } : {}),
    ...(settings.normalize ? { normalize: settings.normalize } : {}),
  };
  new Observable<Uint8Array | null>((subscriber) => {
    input$ = subscriber;
  })
    .pipe(chain(context))
    .subscribe({
      next(item) {
        out = item;
        emitted++;
      },
      error(error: unknown) {
        failure = error;
      },
    });
  return {
    partition,
    push(input) {
      if (input.partition !== partition) {
        throw new RangeError(`partition ${input.partition} pushed to the score task of ${partition}`);
      }
      emitted = 0;
      input$.next(input.value);
      if (failure !== null) throw failure;
      if (emitted !== 1 || out === null) {
        throw new RangeError(
          `the score chain gave ${emitted} items for ${partition}/${input.offset}: it must give exactly one (drop with a reason instead of filtering out)`,
        );
      }
      const item: ScoredTweet | Dropped = out;
      out = null;
      const outcome: Outcome =
        item.kind === 'scored' ? 'stored' : item.stage === 'normalize' ? 'rejected' : 'dropped';
      const eventTime =
        item.kind === 'scored'
          ? item.createdAt
          : outcome === 'rejected'
            ? input.timestamp
            : (item.eventTime ?? input.timestamp);
      const watermarkBefore = watermark;
      if (watermark === null || eventTime > watermark) watermark = eventTime;
      return { input, outcome, item, eventTime, watermarkBefore };
    },
    snapshot: () => ({ version: 1, dedupe: dedupe.snapshot(), watermark }),
    dedupeSnapshot: () => dedupe.snapshot(),
    get watermark() {
      return watermark;
    },
  };
}
