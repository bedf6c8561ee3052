import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { messagesInRange } from '../../../../pipeline/runtime/drivers/kafka-replay.js';

const batch = (offsets: readonly number[]): KafkaMessage[] =>
  offsets.map((o) => ({
    key: null,
    value: Buffer.from(`v${o}`),
    timestamp: String(1_700_000_000_000 + o),
    attributes: 0,
    offset: String(o),
    headers: {},
  }));
const offsetsOf = (ms: readonly { offset: string }[]): string[] => ms.map((m) => m.offset);

describe('messagesInRange', () => {
  it('hands over a batch wholly inside the range as input messages', () => {
    const out = messagesInRange(2, batch([10, 11, 13]), 10n, 20n);
    expect(out).toEqual([
      { partition: 2, offset: '10', value: Buffer.from('v10'), timestamp: 1_700_000_000_010 },
      { partition: 2, offset: '11', value: Buffer.from('v11'), timestamp: 1_700_000_000_011 },
      { partition: 2, offset: '13', value: Buffer.from('v13'), timestamp: 1_700_000_000_013 },
    ]);
  });

  it('skips what was handed over already and stops at the end of the range', () => {
    expect(offsetsOf(messagesInRange(0, batch([8, 9, 10, 11, 12]), 10n, 12n))).toEqual(['10', '11']);
    expect(offsetsOf(messagesInRange(0, batch([8, 9]), 10n, 12n))).toEqual([]);
    expect(offsetsOf(messagesInRange(0, batch([12, 13]), 10n, 12n))).toEqual([]);
    expect(messagesInRange(0, [], 10n, 12n)).toEqual([]);
  });

  it('compares offsets as integers past 2^53', () => {
    const big = 2n ** 60n;
    const ms = batch([0, 1, 2]).map((m, i) => ({ ...m, offset: String(big + BigInt(i)) }));
    expect(offsetsOf(messagesInRange(0, ms, big + 1n, big + 2n))).toEqual([String(big + 1n)]);
  });
});
