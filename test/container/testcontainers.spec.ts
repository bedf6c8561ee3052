/**
 * The test setup's testcontainers path (scripts/services/provide.ts) on the locally built stand-ins:
 * KAFKA_IMAGE and CLICKHOUSE_IMAGE name them, Ryuk is off (it cannot be pulled here) and the spec removes
 * what it started. Both servers must come from testcontainers, answer, and be gone after stop().
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { containerRunning } from '../../scripts/services/docker.js';
import { type ProvidedServices, provideServices } from '../../scripts/services/provide.js';

const images = inject('containerImages');

describe('testcontainers path on the local images', () => {
  let services: ProvidedServices | undefined;
  const saved = {
    KAFKA_IMAGE: process.env.KAFKA_IMAGE,
    CLICKHOUSE_IMAGE: process.env.CLICKHOUSE_IMAGE,
    TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED,
  };

  afterAll(async () => {
    await services?.stop();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('starts Kafka and ClickHouse as containers that work and are removed on stop', async () => {
    process.env.KAFKA_IMAGE = images.KAFKA_IMAGE;
    process.env.CLICKHOUSE_IMAGE = images.CLICKHOUSE_IMAGE;
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
    const log: string[] = [];
    const { KAFKA_BROKERS: _k, CLICKHOUSE_URL: _c, ...env } = process.env;
    services = await provideServices({ env, ownerPid: process.pid, log: (l) => log.push(l) });

    expect(services.kafka.endpoint.source, log.join('\n')).toBe('testcontainers');
    expect(services.clickhouse.endpoint.source, log.join('\n')).toBe('testcontainers');
    expect(services.kafka.endpoint.version).toMatch(/^4\./);
    expect(services.clickhouse.endpoint.version).toMatch(/^18\.16\./);

    // Kafka takes a topic and a message and gives it back.
    const kafka = new Kafka({ brokers: [...services.kafka.endpoint.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'container-probe', numPartitions: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'container-probe', messages: [{ value: 'hello' }] });
    await producer.disconnect();
    const offsets = await (async () => {
      const a = kafka.admin();
      await a.connect();
      try {
        return await a.fetchTopicOffsets('container-probe');
      } finally {
        await a.disconnect();
      }
    })();
    expect(offsets[0]?.high).toBe('1');

    // ClickHouse answers a query over HTTP as the endpoint's user.
    const { url, user, password } = services.clickhouse.endpoint;
    const answer = await fetch(`${url}/?user=${user}&password=${password}`, {
      method: 'POST',
      body: 'SELECT 6*7',
    });
    expect((await answer.text()).trim()).toBe('42');

    const ids = [services.kafka.server?.containerId, services.clickhouse.server?.containerId];
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    await services.stop();
    services = undefined;
    for (const id of ids) expect(await containerRunning(id as string)).toBe(false);
  });
});
