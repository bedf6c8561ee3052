import { describe, expect, it } from 'vitest';
import { retryWithin } from '../../../sinks/kafka/client.js';

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
