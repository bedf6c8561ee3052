import type { ConsumerConfig, Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../pipeline/logger.js';
import { runTrade } from '../../../pipeline/trade/run-trade.js';
import type { ExchangeSink } from '../../../sinks/exchange/exchange-sink.js';

describe('runTrade', () => {
  it("gives its consumer the configured session timeout (a killed trader's partitions move on after it)", async () => {
    const configs: ConsumerConfig[] = [];
    const kafka = {
      consumer: (config: ConsumerConfig) => {
        configs.push(config);
        throw new Error('no broker in this test');
      },
    } as unknown as Kafka;
    const run = (sessionTimeoutMs?: number) =>
      runTrade({
        kafka,
        brokers: ['127.0.0.1:1'],
        topic: 'signals',
        sink: {} as ExchangeSink,
        logger: createLogger({ level: 'silent' }),
        ...(sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs }),
      });
    await expect(run(6_000)).rejects.toThrow('no broker in this test');
    await expect(run()).rejects.toThrow('no broker in this test');
    expect(configs.map((c) => c.sessionTimeout)).toEqual([6_000, 30_000]);
  });
});
