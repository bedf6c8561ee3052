/**
 * The window half: hourly windows with one watermark per tweets.raw partition (the sources), and the
 * decider, with the window chain (chain.ts) subscribed once over them. Fed per source, in each source's
 * order: `advance` (an input that was not stored still tells its source's time), `tweet`; `idle` moves
 * every source (a quiet live stream, by wall-clock time); `finish` is the end of input and closes
 * every open bucket. What the chain emits goes to `outputs` synchronously, so a snapshot between two
 * calls covers exactly the calls before it.
 */
import { Observable, type Subscriber } from 'rxjs';
import {
  type Bucket,
  createDecider,
  createHourlyWindows,
  DEFAULT_WINDOW_OPTIONS,
  type Decision,
  type Dropped,
  type Position,
  type ScoredTweet,
  type Strategy,
  type WindowInput,
  type WindowOptions,
  type WindowSnapshot,
} from '../../operators/index.js';
import type { WindowChain } from './chain.js';

export interface WindowTaskSnapshot {
  readonly version: 1;
  readonly window: WindowSnapshot;
  /** The decider's: per symbol its last closed buckets, and the strategy's own positions. */
  readonly history: readonly Bucket[];
  readonly positions: readonly Position[];
}

export interface WindowSettings {
  /** Every tweets.raw partition: the window waits for all of them. */
  readonly sources: readonly number[];
  readonly strategy: Strategy;
  /** Name decisions carry (and their ids derive from); defaults to the strategy's name. */
  readonly strategyName?: string;
  readonly window?: WindowOptions;
}

/** Where the window half's results go (the collector). */
export interface WindowOutputs {
  bucket(bucket: Bucket): void;
  decision(decision: Decision): void;
  /** A stored tweet that came after its bucket closed: counted, in no bucket. */
  late(drop: Dropped): void;
}

export interface WindowTask {
  advance(source: number, eventTime: number): void;
  tweet(source: number, tweet: ScoredTweet): void;
  /** Every source has reached `eventTime` (a quiet live stream): the watermark trails it by the bound. */
  idle(eventTime: number): void;
  finish(): void;
  snapshot(): WindowTaskSnapshot;
}

export function createWindowTask(
  chain: WindowChain,
  settings: WindowSettings,
  outputs: WindowOutputs,
  from?: Omit<WindowTaskSnapshot, 'version'>,
): WindowTask {
  const options = { ...DEFAULT_WINDOW_OPTIONS, ...settings.window, sources: settings.sources };
  const bound = options.maxOutOfOrdernessMs;
  const windows = createHourlyWindows(options, from?.window);
  const decider = createDecider({
    strategy: settings.strategy,
    ...(settings.strategyName === undefined ? {} : { name: settings.strategyName }),
    ...(from ? { from: { history: from.history, positions: from.positions } } : {}),
  });
  let input$!: Subscriber<WindowInput>;
  let failure: unknown = null;
  new Observable<WindowInput>((subscriber) => {
    input$ = subscriber;
  })
    .pipe(chain({ windows, decider }))
    .subscribe({
      next(item) {
        if (item.kind === 'bucket') outputs.bucket(item);
        else if (item.kind === 'decision') outputs.decision(item);
        else outputs.late(item);
      },
      error(error: unknown) {
        failure = error;
      },
    });
  const send = (item: WindowInput): void => {
    input$.next(item);
    if (failure !== null) throw failure;
  };
  return {
    advance(source, eventTime) {
      send({ kind: 'from-source', source, item: { kind: 'watermark', time: eventTime - bound } });
    },
    tweet(source, tweet) {
      send({ kind: 'from-source', source, item: tweet });
    },
    idle(eventTime) {
      send({ kind: 'watermark', time: eventTime - bound });
    },
    finish() {
      input$.complete();
      if (failure !== null) throw failure;
    },
    snapshot() {
      const { history, positions } = decider.snapshot();
      return { version: 1, window: windows.snapshot(), history, positions };
    },
  };
}
