import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { startLocalClickHouse } from '../../scripts/services/clickhouse-local.js';
import { clickHouseVersion, pingClickHouse } from '../../scripts/services/clickhouse-probe.js';
import { dockerReachable } from '../../scripts/services/docker.js';
import { startLocalKafka } from '../../scripts/services/kafka-local.js';
import { freePort } from '../../scripts/services/ports.js';
import { isAlive, spawnServer, startWatchdog } from '../../scripts/services/processes.js';
import { provideServices } from '../../scripts/services/provide.js';
import { probeKafkaVersion, releaseOfMetadataLevel } from '../../sinks/kafka/version-probe.js';
import { clickHouseConnection, kafkaBrokers, uniqueName, waitFor } from '../support/servers.js';

describe('the servers the global setup provides', () => {
  it('Kafka answers metadata requests and reports a 4.x release on the wire', async () => {
    const brokers = kafkaBrokers();
    const admin = new Kafka({ clientId: 'services-spec', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      expect((await admin.describeCluster()).brokers.length).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }
    const wire = await probeKafkaVersion(brokers[0]!);
    expect(wire.release).toMatch(/^4\.\d+$/);
    expect(wire.fetchVersions?.[0]).toBeGreaterThanOrEqual(4);
  });

  it('ClickHouse answers /ping and reports its version', async () => {
    const ch = clickHouseConnection();
    expect(await pingClickHouse(ch.url)).toBe(true);
    expect(await clickHouseVersion(ch)).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('test workers and the processes they spawn see the server addresses', () => {
    const child = spawnSync(
      process.execPath,
      ['-e', 'process.stdout.write(JSON.stringify([process.env.KAFKA_BROKERS, process.env.CLICKHOUSE_URL]))'],
      { encoding: 'utf8' },
    );
    const [brokers, url] = JSON.parse(child.stdout) as [string, string];
    expect(brokers).toBe(kafkaBrokers().join(','));
    expect(brokers).toMatch(/^127\.0\.0\.1:\d+/);
    expect(url).toBe(clickHouseConnection().url);
    expect(process.env.CLICKHOUSE_DATABASE).toBeTruthy();
  });
});

describe('the order of choice', () => {
  const given = (): NodeJS.ProcessEnv => ({
    KAFKA_BROKERS: kafkaBrokers().join(','),
    CLICKHOUSE_URL: clickHouseConnection().url,
  });

  it('uses addresses given in the environment as they are, and does not stop them', async () => {
    const services = await provideServices({ env: given(), noDocker: true });
    expect(services.kafka.endpoint).toMatchObject({ brokers: kafkaBrokers(), source: 'env' });
    expect(services.kafka.endpoint.version).toMatch(/^4\.\d+$/);
    expect(services.clickhouse.endpoint).toMatchObject({ url: clickHouseConnection().url, source: 'env' });
    expect(services.kafka.server).toBeUndefined();
    await services.stop();
    expect(await pingClickHouse(clickHouseConnection().url)).toBe(true);
  });

  it('fails with the variable named when a given address does not answer', async () => {
    const env = { ...given(), KAFKA_BROKERS: `127.0.0.1:${await freePort()}` };
    await expect(provideServices({ env, noDocker: true, givenTimeoutMs: 1_000 })).rejects.toThrow(
      /^test servers unavailable: Kafka: KAFKA_BROKERS=127\.0\.0\.1:\d+ is set but Kafka does not answer there/,
    );
  });

  it('falls through when no Docker engine answers, saying why', async () => {
    const probe = await dockerReachable({ DOCKER_HOST: `tcp://127.0.0.1:${await freePort()}` });
    expect(probe.ok).toBe(false);
    expect(probe.why).toMatch(/ECONNREFUSED/);
  });
});

describe('the local launchers', () => {
  it('start on fresh loopback ports and leave no process or directory behind when stopped', async () => {
    const [kafka, clickhouse] = await Promise.all([
      startLocalKafka({ ownerPid: process.pid, heapMb: 256 }),
      startLocalClickHouse({ ownerPid: process.pid }),
    ]);
    const broker = kafka.endpoint.brokers[0]!;
    expect(broker).not.toBe(kafkaBrokers()[0]);
    expect(kafka.endpoint.version).toMatch(/^4\.\d+\.\d+$/);
    expect(clickhouse.endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await Promise.all([kafka.server!.stop(), clickhouse.server!.stop()]);
    for (const server of [kafka.server!, clickhouse.server!]) {
      expect(isAlive(server.pid!)).toBe(false);
      expect(existsSync(server.dir!)).toBe(false);
    }
    await expect(probeKafkaVersion(broker, 2_000)).rejects.toThrow(/did not answer ApiVersions/);
    await expect(pingClickHouse(clickhouse.endpoint.url)).rejects.toThrow();
  });

  it('a watchdog kills the server and removes its directory when the owning process dies', async () => {
    const owner = spawn('sleep', ['300'], { stdio: 'ignore' });
    const ownerGone = new Promise((resolve) => owner.once('exit', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'sentiflow-watchdog-spec-'));
    const server = spawnServer('sleep', ['300'], { cwd: dir, logFile: join(dir, 'out.log') });
    startWatchdog(owner.pid!, server.pid, dir);
    expect(isAlive(server.pid)).toBe(true);
    owner.kill('SIGKILL');
    await ownerGone;
    await server.exited;
    await waitFor(() => !existsSync(dir), {
      timeoutMs: 15_000,
      what: 'the watchdog to remove the directory',
    });
    expect(isAlive(server.pid)).toBe(false);
  });
});

describe('test helpers', () => {
  it('waitFor returns the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), {
      timeoutMs: 2_000,
      intervalMs: 1,
    });
    expect(value).toBe('after 3');
  });

  it('waitFor fails after its deadline naming what it waited for and the last error', async () => {
    const started = Date.now();
    await expect(
      waitFor(
        () => {
          throw new Error('still empty');
        },
        { timeoutMs: 100, intervalMs: 10, what: 'rows' },
      ),
    ).rejects.toThrow('timed out after 100 ms waiting for rows: still empty');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('uniqueName gives distinct names valid for topics and ClickHouse databases', () => {
    const names = new Set(Array.from({ length: 50 }, () => uniqueName('It-Orders')));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(/^it_orders_[a-z0-9]+_[0-9a-f]{6}$/);
  });

  it('maps metadata.version levels to Kafka releases', () => {
    expect(releaseOfMetadataLevel(21)).toBe('3.9');
    expect(releaseOfMetadataLevel(22)).toBe('4.0');
    expect(releaseOfMetadataLevel(25)).toBe('4.0');
    expect(releaseOfMetadataLevel(30)).toBe('4.3');
    expect(releaseOfMetadataLevel(40)).toBe('newer than 4.4');
  });
});
