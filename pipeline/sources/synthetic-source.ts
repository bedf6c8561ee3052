/**
 * The synthetic generator (synthetic.ts) as a paced source: `rate` envelopes per second of wall time
 * on the injected scheduler's clock (checked every `tickMs`), or, with rate 0, as fast as the sink's
 * demand allows. The schedule is the clock's, not the tick count's (see pacer.ts): late ticks catch
 * up, so the rate asked for is the rate delivered when the machine can sustain it. When it cannot,
 * the source says so: a warning once it is more than a second behind (and a line when it caught up),
 * a warning while the sink holds it back (what fell due then is not owed later), the achieved rate
 * when it ends, and `onPace` after every tick for metrics. What the pipeline runs on out of the box
 * when no X credentials are set.
 */
import type { Logger } from 'pino';
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import { classifyEnvelope } from './classify-envelope.js';
import { createPacer, type Pace } from './pacer.js';
import { generateEnvelopes, type SyntheticOptions } from './synthetic.js';
import { ALWAYS_READY, type Demand, type IngestItem } from './types.js';

export interface SyntheticSourceOptions {
  readonly synthetic?: SyntheticOptions;
  /** Envelopes per second; 0 means unpaced (benchmarks, backfills). */
  readonly rate?: number;
  readonly tickMs?: number;
  readonly scheduler?: SchedulerLike;
  readonly demand?: Demand;
  /** Where falling behind the rate is reported; silent without one. */
  readonly logger?: Logger;
  /** Called after every tick of a paced source (e.g. to set a "behind" gauge). */
  readonly onPace?: (pace: Pace) => void;
}

export const DEFAULT_SYNTHETIC_RATE = 20;

/** A late tick catches up by at most this many ticks' worth of envelopes at once. */
const MAX_CATCH_UP_TICKS = 10;

export function createSyntheticSource$({
  synthetic = {},
  rate = DEFAULT_SYNTHETIC_RATE,
  tickMs = 100,
  scheduler = asyncScheduler,
  demand = ALWAYS_READY,
  logger,
  onPace,
}: SyntheticSourceOptions = {}): Observable<IngestItem> {
  if (!(rate >= 0) || !Number.isFinite(rate))
    throw new RangeError(`synthetic rate must be >= 0, got ${rate}`);
  const log = logger?.child({ module: 'synthetic' });
  return new Observable<IngestItem>((subscriber) => {
    const envelopes = generateEnvelopes(synthetic);
    let n = 0;
    /** Emits up to `count` envelopes (`n` counts them); false once the generator is exhausted. */
    const emit = (count: number): boolean => {
      for (let i = 0; i < count && !subscriber.closed; i++) {
        const next = envelopes.next();
        if (next.done === true) return false;
        n += 1;
        subscriber.next(
          classifyEnvelope(next.value, JSON.stringify(next.value), 'synthetic', `synthetic#${n}`),
        );
      }
      return true;
    };

    if (rate === 0) {
      const run = async (): Promise<void> => {
        while (!subscriber.closed) {
          const waiting = demand.ready();
          if (waiting !== undefined) await waiting;
          else await new Promise((resolve) => setImmediate(resolve));
          if (subscriber.closed) return;
          if (!emit(500)) return subscriber.complete();
        }
      };
      run().catch((error: unknown) => subscriber.error(error));
      return;
    }

    const perTick = Math.max(1, Math.ceil((rate * tickMs) / 1000));
    const pacer = createPacer({ rate, start: scheduler.now(), maxBurst: perTick * MAX_CATCH_UP_TICKS });
    const report = createPaceReport(rate, perTick, log);
    let lastEmitAt = scheduler.now();
    return scheduler.schedule(function tick() {
      const now = scheduler.now();
      if (demand.ready() !== undefined) {
        report.heldBack(pacer.pace(now));
        pacer.holdBack(now);
      } else {
        const before = n;
        const more = emit(pacer.due(now));
        pacer.emitted(n - before);
        if (n > before) lastEmitAt = now;
        if (!more) {
          // The rate achieved up to the last envelope, not up to the tick that found the end.
          report.finished(pacer.pace(lastEmitAt));
          subscriber.complete();
          return;
        }
        if (subscriber.closed) return;
        report.ticked(pacer.pace(scheduler.now()));
      }
      onPace?.(pacer.pace(scheduler.now()));
      this.schedule(undefined, tickMs);
    }, tickMs);
  });
}

/** The log lines of a paced source: one when a shortfall starts, one when it ends, one at the end. */
function createPaceReport(rate: number, perTick: number, log: Logger | undefined) {
  let behind = false;
  let held = false;
  let heldBefore = 0;
  const fields = (p: Pace) => ({
    rate,
    emitted: p.emitted,
    behind: p.behind,
    heldBack: p.heldBack,
    achievedRate: p.elapsedMs > 0 ? Math.round((p.emitted * 1000) / p.elapsedMs) : null,
  });
  return {
    ticked(p: Pace): void {
      if (held) {
        held = false;
        log?.info(
          { ...fields(p), skipped: p.heldBack - heldBefore },
          'synthetic source released by the sink',
        );
      }
      if (!behind && p.behind >= Math.max(rate, perTick)) {
        behind = true;
        log?.warn(fields(p), 'synthetic source cannot keep up with its rate: over 1 s behind schedule');
      } else if (behind && p.behind <= perTick) {
        behind = false;
        log?.info(fields(p), 'synthetic source caught up with its schedule');
      }
    },
    /** `p` is the pace just before what is due now slips. */
    heldBack(p: Pace): void {
      if (held) return;
      held = true;
      heldBefore = p.heldBack;
      log?.warn(
        fields(p),
        'synthetic source held back by the sink (Kafka slower than the rate): running below its rate',
      );
    },
    /** `p` is the pace at the last envelope: still more than a tick behind then means it ended late. */
    finished(p: Pace): void {
      const short = p.heldBack > 0 || p.behind > perTick;
      log?.[short ? 'warn' : 'info'](
        fields(p),
        short ? 'synthetic source finished below its rate' : 'synthetic source finished on schedule',
      );
    },
  };
}
