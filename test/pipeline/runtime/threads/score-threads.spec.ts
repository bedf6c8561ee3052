import { describe, expect, it } from 'vitest';
import { routePartitions } from '../../../../pipeline/runtime/threads/score-threads.js';

describe('routePartitions', () => {
  it('deals the partitions round-robin in partition order', () => {
    expect(routePartitions([4, 0, 2, 1, 3], 2)).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
    expect(routePartitions([1], 3)).toEqual([[1], [], []]);
  });
});
