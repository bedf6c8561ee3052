import { randomBytes } from 'node:crypto';
import type { GenericContainer, StartedTestContainer } from 'testcontainers';
import { probeKafkaVersion } from '../../sinks/kafka/version-probe.js';
import { clickHouseVersion, pingClickHouse } from './clickhouse-probe.js';
import { ensureImage, removeContainer } from './docker.js';
import { defaultKafkaVersion } from './kafka-jars.js';
import { clusterId } from './kafka-local.js';
import { waitForKafka } from './kafka-ready.js';
import { pollUntil } from './poll.js';
import { freePorts } from './ports.js';
import type { ClickHouseEndpoint, KafkaEndpoint, Provided, StartedServer } from './types.js';

/**
 * The official images through testcontainers, on the host network so every port is a loopback port
 * (the development machines run dockerd without a bridge). Tests keep Ryuk, which removes the
 * containers when the run dies; `services:up` turns it off and records the container ids instead.
 */
export interface ContainerOptions {
  /** Default: KAFKA_IMAGE from the environment (as docker/compose.yml reads it), else the official image. */
  readonly kafkaImage?: string;
  /** Default: CLICKHOUSE_IMAGE from the environment, else the official image. */
  readonly clickhouseImage?: string;
  /** False for `services:up`: the containers must outlive the command. */
  readonly reap?: boolean;
  readonly startupTimeoutMs?: number;
}

export const defaultKafkaImage = `apache/kafka:${defaultKafkaVersion}`;
export const defaultClickHouseImage = 'clickhouse/clickhouse-server:25.8';

function asServer(container: StartedTestContainer): StartedServer {
  const id = container.getId();
  return {
    containerId: id,
    stop: async () => {
      await removeContainer(id);
    },
  };
}

// The reaper image testcontainers 11.14 starts (reaper/reaper.js); it must be pullable too.
const ryukImage = 'testcontainers/ryuk:0.14.0';

async function testcontainers(options: ContainerOptions): Promise<typeof import('testcontainers')> {
  // Every container here is on the host network, so the host is loopback. Without this, testcontainers
  // running inside a container (/.dockerenv) looks for the `bridge` network's gateway, which a dockerd
  // started with --bridge=none does not have ("Could not find a working container runtime strategy").
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  if (options.reap === false) process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  // Without Ryuk (no registry to pull it from) the caller removes the containers itself.
  else if (process.env.TESTCONTAINERS_RYUK_DISABLED !== 'true')
    await ensureImage(process.env.RYUK_CONTAINER_IMAGE ?? ryukImage);
  return import('testcontainers');
}

/**
 * Starts a container on the host network with `count` fresh loopback ports. It is named so that a failed
 * start can be removed (testcontainers leaves a container whose wait strategy failed behind), and its
 * output is kept so the error says why it died. A port another listener took between choosing and
 * binding costs one more attempt, as in the local launchers.
 */
async function startOnPorts<P extends number[]>(
  what: string,
  count: P['length'],
  options: ContainerOptions,
  define: (ports: P) => GenericContainer,
): Promise<{ container: StartedTestContainer; ports: P }> {
  for (let attempt = 1; ; attempt++) {
    const ports = (await freePorts(count)) as P;
    const name = `sentiflow-${what}-${randomBytes(4).toString('hex')}`;
    const output: string[] = [];
    try {
      const container = await define(ports)
        .withName(name)
        .withNetworkMode('host')
        .withLogConsumer((stream) => {
          stream.on('data', (chunk: Buffer | string) => {
            output.push(String(chunk));
            if (output.length > 200) output.shift();
          });
        })
        .withStartupTimeout(options.startupTimeoutMs ?? 120_000)
        .start();
      return { container, ports };
    } catch (error) {
      await removeContainer(name).catch(() => {});
      const said = output.join('');
      if (attempt < 3 && /Address already in use|BindException/.test(said)) continue;
      const tail = said.trim().split('\n').slice(-5).join(' | ');
      throw new Error(
        `${(error as Error).message.split('\n')[0]}${tail ? `; its last output: ${tail}` : ''}`,
      );
    }
  }
}

export async function startKafkaContainer(options: ContainerOptions = {}): Promise<Provided<KafkaEndpoint>> {
  const started = Date.now();
  const image = options.kafkaImage ?? (process.env.KAFKA_IMAGE || defaultKafkaImage);
  await ensureImage(image);
  const { GenericContainer, Wait } = await testcontainers(options);
  const { container, ports } = await startOnPorts<[number, number]>(
    'kafka',
    2,
    options,
    ([broker, controller]) =>
      new GenericContainer(image)
        .withEnvironment({
          CLUSTER_ID: clusterId(),
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_LISTENERS: `PLAINTEXT://127.0.0.1:${broker},CONTROLLER://127.0.0.1:${controller}`,
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${broker}`,
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
          KAFKA_CONTROLLER_QUORUM_VOTERS: `1@127.0.0.1:${controller}`,
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        })
        .withWaitStrategy(Wait.forLogMessage('Kafka Server started')),
  );
  const server = asServer(container);
  try {
    const broker = `127.0.0.1:${ports[0]}`;
    await waitForKafka([broker], { timeoutMs: 60_000 });
    const wire = await probeKafkaVersion(broker);
    return {
      endpoint: { brokers: [broker], version: wire.release, source: 'testcontainers' },
      server,
      startMs: Date.now() - started,
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

export async function startClickHouseContainer(
  options: ContainerOptions = {},
): Promise<Provided<ClickHouseEndpoint>> {
  const started = Date.now();
  const image = options.clickhouseImage ?? (process.env.CLICKHOUSE_IMAGE || defaultClickHouseImage);
  await ensureImage(image);
  const { GenericContainer } = await testcontainers(options);
  const { container, ports } = await startOnPorts<[number, number, number]>(
    'clickhouse',
    3,
    options,
    ([http, tcp, interserver]) =>
      new GenericContainer(image)
        .withEnvironment({ CLICKHOUSE_SKIP_USER_SETUP: '1' })
        .withCopyContentToContainer([
          // Replaces the image's docker_related_config.xml (which listens on every interface).
          {
            content: `<clickhouse>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <interserver_http_port>${interserver}</interserver_http_port>
  <mysql_port remove="1"/>
  <postgresql_port remove="1"/>
</clickhouse>
`,
            target: '/etc/clickhouse-server/config.d/docker_related_config.xml',
          },
        ]),
  );
  const server = asServer(container);
  try {
    const url = `http://127.0.0.1:${ports[0]}`;
    await pollUntil(() => pingClickHouse(url), { timeoutMs: 60_000, what: `ClickHouse /ping on ${url}` });
    const auth = { url, user: 'default', password: '' };
    return {
      endpoint: {
        ...auth,
        database: 'default',
        version: await clickHouseVersion(auth),
        source: 'testcontainers',
      },
      server,
      startMs: Date.now() - started,
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
