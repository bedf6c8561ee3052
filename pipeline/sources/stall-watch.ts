/**
 * A live source's stall watchdog: calls `onStall` once nothing has touched it for `timeoutMs`. It keeps
 * one timer per period, not one per touch (a busy stream touches it thousands of times a second): when
 * the timer fires early it waits out the rest from the last touch. `stop()` disarms it (while the sink
 * holds the source back, or at the end); the next `touch()` arms it again.
 */
import type { SchedulerLike, Subscription } from 'rxjs';

export interface StallWatch {
  touch(): void;
  stop(): void;
}

export function watchStall(scheduler: SchedulerLike, timeoutMs: number, onStall: () => void): StallWatch {
  let timer: Subscription | null = null;
  let lastSeen = scheduler.now();
  const watch = (delayMs: number): void => {
    timer = scheduler.schedule(() => {
      timer = null;
      const idle = scheduler.now() - lastSeen;
      if (idle >= timeoutMs) onStall();
      else watch(timeoutMs - idle);
    }, delayMs);
  };
  return {
    touch() {
      lastSeen = scheduler.now();
      if (timer === null) watch(timeoutMs);
    },
    stop() {
      timer?.unsubscribe();
      timer = null;
    },
  };
}
