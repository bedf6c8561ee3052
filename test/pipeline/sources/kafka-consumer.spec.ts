import { describe, expect, it } from 'vitest';
import { consumerConfig } from '../../../pipeline/sources/kafka-consumer.js';

const base = { brokers: ['127.0.0.1:9092'], groupId: 'g', topics: ['t'] };

describe('consumerConfig', () => {
  it('holds an idle fetch at most 1 s by default, so a drained consumer stops quickly', () => {
    // kafkajs's own default is 5 s, and stop() waits for the fetch in flight.
    expect(consumerConfig(base).maxWaitTimeInMs).toBe(1_000);
    expect(consumerConfig({ ...base, maxWaitMs: 250 }).maxWaitTimeInMs).toBe(250);
  });

  it('passes group timing and fetch size through, heartbeat within a third of the session', () => {
    const config = consumerConfig({ ...base, sessionTimeoutMs: 6_000, maxBytesPerPartition: 1 << 20 });
    expect(config).toMatchObject({
      groupId: 'g',
      sessionTimeout: 6_000,
      heartbeatInterval: 2_000,
      maxBytesPerPartition: 1 << 20,
      allowAutoTopicCreation: false,
    });
  });

  it('bounds every fetch to 256 KiB in all by default (kafkajs would take 10 MiB)', () => {
    expect(consumerConfig(base)).toMatchObject({ maxBytes: 256 * 1024, maxBytesPerPartition: 256 * 1024 });
    expect(consumerConfig({ ...base, maxBytes: 1 << 20 }).maxBytes).toBe(1 << 20);
  });
});
