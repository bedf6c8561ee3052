import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../lib/errors.js';
import { retryWithin } from '../../../sinks/kafka/client.js';
import { retryRetriable } from '../../../sinks/kafka/errors.js';
import { KafkaJSError } from '../../../sinks/kafka/kafkajs.js';

function worstCaseWait(deadlineMs: number): number {
  const r = retryWithin(deadlineMs);
  let total = 0;
  let delay = r.initialRetryTime!;
  for (let i = 0; i < r.retries!; i++) {
    total += delay;
    delay = Math.min(r.maxRetryTime!, delay * 2);
  }
  return total;
}

describe('retryWithin', () => {
  it.each([1_000, 5_000, 30_000, 120_000])('keeps the total back-off within %i ms', (deadline) => {
    expect(worstCaseWait(deadline)).toBeLessThanOrEqual(deadline);
    expect(retryWithin(deadline).retries).toBeGreaterThanOrEqual(1);
  });

  it('retries more when given more time', () => {
    expect(retryWithin(60_000).retries!).toBeGreaterThan(retryWithin(2_000).retries!);
  });
});

describe('retryRetriable', () => {
  it('retries what Kafka calls retriable, then succeeds', async () => {
    let calls = 0;
    const result = await retryRetriable(
      async () => {
        calls++;
        if (calls < 3)
          throw new KafkaJSError('This server is not the leader for that topic-partition', {
            retriable: true,
          });
        return 'ok';
      },
      { doing: 'x', brokers: ['b:1'], deadlineMs: 5_000 },
    );
    expect([result, calls]).toEqual(['ok', 3]);
  });

  it('gives up at once on a refusal', async () => {
    let calls = 0;
    const failing = retryRetriable(
      async () => {
        calls++;
        throw new KafkaJSError('Topic authorization failed', { retriable: false });
      },
      { doing: 'x', brokers: ['b:1'], deadlineMs: 5_000 },
    );
    await expect(failing).rejects.toBeInstanceOf(RejectedError);
    expect(calls).toBe(1);
  });
});
