/**
 * A SchedulerLike whose clock only moves when the test says so. Every scheduled action is recorded
 * (delay and due time) so tests assert back-off delays; `whenScheduled` resolves on the event, not
 * after a sleep.
 */
import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';

interface Pending {
  readonly due: number;
  readonly delay: number;
  readonly run: () => void;
  cancelled: boolean;
}

export class ManualScheduler implements SchedulerLike {
  private time: number;
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<() => void>();
  /** Every delay ever scheduled, in order. */
  readonly history: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const subscription = new Subscription();
    const action = Object.assign(subscription, {
      schedule: (nextState?: T, nextDelay?: number): Subscription =>
        this.schedule(work, nextDelay, nextState),
    }) as SchedulerAction<T>;
    const entry: Pending = {
      due: this.time + delay,
      delay,
      run: () => work.call(action, state),
      cancelled: false,
    };
    subscription.add(() => {
      entry.cancelled = true;
    });
    this.pending.push(entry);
    this.history.push(delay);
    for (const listener of [...this.listeners]) listener();
    return subscription;
  }

  /** Delays of the actions still waiting to run. */
  pendingDelays(): number[] {
    return this.pending.filter((p) => !p.cancelled).map((p) => p.delay);
  }

  /** Moves the clock forward, running what falls due in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const live = this.pending.filter((p) => !p.cancelled && p.due <= target).sort((a, b) => a.due - b.due);
      const next = live[0];
      if (next === undefined) break;
      this.pending.splice(this.pending.indexOf(next), 1);
      this.time = Math.max(this.time, next.due);
      next.run();
    }
    this.time = target;
    for (let i = this.pending.length - 1; i >= 0; i--)
      if (this.pending[i]!.cancelled) this.pending.splice(i, 1);
  }

  /** Resolves once an action with this delay is waiting (already or later). */
  whenScheduled(delay: number, timeoutMs = 3000): Promise<void> {
    const has = (): boolean => this.pendingDelays().includes(delay);
    if (has()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = (): void => {
        if (!has()) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(
          new Error(
            `nothing scheduled with delay ${delay} ms within ${timeoutMs} ms; pending ${this.pendingDelays()}`,
          ),
        );
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }
}
