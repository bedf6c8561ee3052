/**
 * The synthetic generator (synthetic.ts) as a paced source: `rate` envelopes per second of wall time
 * on the injected scheduler (ticks of `tickMs`), or, with rate 0, as fast as the sink's demand allows.
 * While demand is not ready, ticks emit nothing (no debt piles up). What the pipeline runs on out of the
 * box when no X credentials are set.
 */
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import { classifyEnvelope } from './classify-envelope.js';
import { generateEnvelopes, type SyntheticOptions } from './synthetic.js';
import { ALWAYS_READY, type Demand, type IngestItem } from './types.js';

export interface SyntheticSourceOptions {
  readonly synthetic?: SyntheticOptions;
  /** Envelopes per second; 0 means unpaced (benchmarks, backfills). */
  readonly rate?: number;
  readonly tickMs?: number;
  readonly scheduler?: SchedulerLike;
  readonly demand?: Demand;
}

export const DEFAULT_SYNTHETIC_RATE = 20;

export function createSyntheticSource$({
  synthetic = {},
  rate = DEFAULT_SYNTHETIC_RATE,
  tickMs = 100,
  scheduler = asyncScheduler,
  demand = ALWAYS_READY,
}: SyntheticSourceOptions = {}): Observable<IngestItem> {
  if (!(rate >= 0) || !Number.isFinite(rate))
    throw new RangeError(`synthetic rate must be >= 0, got ${rate}`);
  return new Observable<IngestItem>((subscriber) => {
    const envelopes = generateEnvelopes(synthetic);
    let n = 0;
    /** Emits up to `count` envelopes; false once the generator is exhausted. */
    const emit = (count: number): boolean => {
      for (let i = 0; i < count; i++) {
        const next = envelopes.next();
        if (next.done === true) {
          subscriber.complete();
          return false;
        }
        n += 1;
        subscriber.next(
          classifyEnvelope(next.value, JSON.stringify(next.value), 'synthetic', `synthetic#${n}`),
        );
        if (subscriber.closed) return false;
      }
      return true;
    };

    if (rate === 0) {
      const run = async (): Promise<void> => {
        while (!subscriber.closed) {
          const waiting = demand.ready();
          if (waiting !== undefined) await waiting;
          else await new Promise((resolve) => setImmediate(resolve));
          if (subscriber.closed || !emit(500)) return;
        }
      };
      run().catch((error: unknown) => subscriber.error(error));
      return;
    }

    let owed = 0;
    return scheduler.schedule(function tick() {
      owed += (rate * tickMs) / 1000;
      const due = Math.floor(owed);
      if (demand.ready() !== undefined) {
        owed = 0;
      } else if (due > 0) {
        owed -= due;
        if (!emit(due)) return;
      }
      this.schedule(undefined, tickMs);
    }, tickMs);
  });
}
