import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { IDLE_REQUEST_QUEUES_QUIET } from '../../../sinks/kafka/kafkajs.js';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}
type QueueClass = new (options: Record<string, unknown>) => Queue;

const RequestQueue = createRequire(import.meta.url)(
  'kafkajs/src/network/requestQueue/index.js',
) as QueueClass;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe("kafkajs' request queue, as sinks/kafka/kafkajs.ts leaves it", () => {
  const queues: Queue[] = [];
  const queue = (): Queue => {
    const q = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, logger: quiet });
    queues.push(q);
    return q;
  };
  afterEach(() => {
    for (const q of queues.splice(0)) q.destroy();
  });

  it('is found where the patch looks for it', () => {
    expect(IDLE_REQUEST_QUEUES_QUIET).toBe(true);
  });

  it('arms no timer when nothing is pending (kafkajs re-armed a 1 ms one forever)', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still arms the check for a request waiting out a throttle', () => {
    const q = queue();
    q.throttledUntil = Date.now() + 60_000;
    q.pending.push({ correlationId: 1 });
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
  });
});
