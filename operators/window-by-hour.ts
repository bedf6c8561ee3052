import { Observable, type OperatorFunction } from 'rxjs';
import {
  createHourlyWindows,
  type FromSource,
  type HourlyWindows,
  type WatermarkAdvance,
  type WindowOptions,
} from './hourly-windows.js';
import type { Bucket, Dropped, ScoredTweet } from './types.js';

/** What the window takes: tweets and watermarks (of its one source, or tagged with theirs), and drops to pass on. */
export type WindowInput = ScoredTweet | Dropped | WatermarkAdvance | FromSource;

/**
 * Aggregates scored tweets into tumbling one-hour buckets per symbol, in event time.
 *
 * The watermark is the latest event time seen minus `maxOutOfOrdernessMs` (or a later time a
 * WatermarkAdvance brings, for idle live streams). A bucket [start, start+1h) closes once the
 * watermark reaches start+1h+allowedLatenessMs; buckets close in order of start, then symbol.
 * Late policy: a tweet whose bucket has closed drops as Dropped{stage:'window', reason:'late'}
 * and is counted — emitting corrections would make every downstream stage (ClickHouse rows,
 * decisions, orders) handle retractions, while a decision already taken cannot be untaken.
 * Raising the out-of-orderness bound is the knob when late drops show up. Completion of the
 * source closes every open bucket (replays); Dropped items pass through. With `sources`, items come
 * as FromSource (each source has its own watermark, see WindowOptions.sources); a WatermarkAdvance
 * without a source moves every source.
 *
 *   input:  --a(10:05)--b(10:40)--c(11:20)--W(11:10)----|
 *   output: --------------------------------B(10:00)----(B'|)    (B' = the 11:00 bucket, flushed)
 *
 * Example: `scored$.pipe(windowByHour({ maxOutOfOrdernessMs: 60_000 }))`; a runtime that checkpoints
 * passes its own `{ windows }` (createHourlyWindows, maybe from a snapshot) and snapshots it between items.
 * Cost: O(symbols) per tweet; memory: open buckets, bounded by
 * symbols x (1 + (outOfOrderness + lateness) / 1h), each with up to maxAuthorsPerBucket author ids.
 */
export function windowByHour(
  options?: WindowOptions | { readonly windows: HourlyWindows },
): OperatorFunction<WindowInput, Bucket | Dropped> {
  return (source) =>
    new Observable<Bucket | Dropped>((subscriber) => {
      const windows =
        options !== undefined && 'windows' in options ? options.windows : createHourlyWindows(options);
      return source.subscribe({
        next(item) {
          if (item.kind === 'dropped') {
            subscriber.next(item);
            return;
          }
          let out: readonly (Bucket | Dropped)[];
          try {
            out = item.kind === 'from-source' ? windows.step(item.item, item.source) : windows.step(item);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          for (const x of out) subscriber.next(x);
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          for (const bucket of windows.flush()) subscriber.next(bucket);
          subscriber.complete();
        },
      });
    });
}
