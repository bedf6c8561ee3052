import { probeKafkaVersion } from '../../sinks/kafka/version-probe.js';
import { startLocalClickHouse } from './clickhouse-local.js';
import { clickHouseVersion, pingClickHouse } from './clickhouse-probe.js';
import { startClickHouseContainer, startKafkaContainer } from './containers.js';
import { dockerReachable } from './docker.js';
import { startLocalKafka } from './kafka-local.js';
import { waitForKafka } from './kafka-ready.js';
import { pollUntil } from './poll.js';
import type { ClickHouseEndpoint, KafkaEndpoint, Provided } from './types.js';

/**
 * Provides Kafka and ClickHouse in the order of choice: addresses given in the environment,
 * else the official images through testcontainers when a Docker engine answers and can pull,
 * else the local launchers (Kafka from Maven Central, Debian's clickhouse-server).
 */
export interface ProvideOptions {
  /** The environment to read KAFKA_BROKERS / CLICKHOUSE_* / DOCKER_HOST from. */
  readonly env: NodeJS.ProcessEnv;
  /** Tests: the pid whose death must take the servers down. Unset for `services:up` (they outlive us). */
  readonly ownerPid?: number;
  /** Progress for humans (stderr or the test log). */
  readonly log?: (line: string) => void;
  /** Skip the Docker probe (SENTIFLOW_SERVICES=local). */
  readonly noDocker?: boolean;
  readonly kafkaVersion?: string;
  /** How long a server given in the environment may take to answer (default 15 s). */
  readonly givenTimeoutMs?: number;
}

export interface ProvidedServices {
  readonly kafka: Provided<KafkaEndpoint>;
  readonly clickhouse: Provided<ClickHouseEndpoint>;
  /** Stops what we started, not what was given. */
  stop(): Promise<void>;
}

async function givenKafka(brokers: string, timeoutMs: number): Promise<Provided<KafkaEndpoint>> {
  const started = Date.now();
  const list = brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  try {
    await waitForKafka(list, { timeoutMs });
    const wire = await probeKafkaVersion(list[0] ?? '');
    return {
      endpoint: { brokers: list, version: wire.release, source: 'env' },
      startMs: Date.now() - started,
    };
  } catch (error) {
    throw new Error(
      `KAFKA_BROKERS=${brokers} is set but Kafka does not answer there: ${(error as Error).message}`,
    );
  }
}

async function givenClickHouse(
  env: NodeJS.ProcessEnv,
  url: string,
  timeoutMs: number,
): Promise<Provided<ClickHouseEndpoint>> {
  const started = Date.now();
  const auth = { url, user: env.CLICKHOUSE_USER ?? 'default', password: env.CLICKHOUSE_PASSWORD ?? '' };
  try {
    await pollUntil(() => pingClickHouse(url), { timeoutMs, what: `ClickHouse /ping on ${url}` });
    const version = await clickHouseVersion(auth);
    const database = env.CLICKHOUSE_DATABASE ?? 'default';
    return { endpoint: { ...auth, database, version, source: 'env' }, startMs: Date.now() - started };
  } catch (error) {
    throw new Error(
      `CLICKHOUSE_URL=${url} is set but ClickHouse does not answer there: ${(error as Error).message}`,
    );
  }
}

/** Starts one server, trying the containers first when Docker answers; says why it fell through. */
async function startOne<E>(
  name: string,
  docker: boolean,
  viaContainer: () => Promise<Provided<E>>,
  viaLocal: () => Promise<Provided<E>>,
  log: (line: string) => void,
): Promise<Provided<E>> {
  if (docker) {
    try {
      return await viaContainer();
    } catch (error) {
      log(
        `${name}: testcontainers failed (${(error as Error).message.split('\n')[0]}); using the local launcher`,
      );
    }
  }
  return viaLocal();
}

export async function provideServices(options: ProvideOptions): Promise<ProvidedServices> {
  const { env, ownerPid } = options;
  const log = options.log ?? (() => {});
  const needDocker = !env.KAFKA_BROKERS || !env.CLICKHOUSE_URL;
  let docker = false;
  if (needDocker && !options.noDocker) {
    const probe = await dockerReachable(env);
    docker = probe.ok;
    log(
      probe.ok
        ? 'Docker engine answers: trying testcontainers'
        : `no Docker engine (${probe.why}): local launchers`,
    );
  }
  const reap = ownerPid !== undefined;
  const [kafka, clickhouse] = await Promise.allSettled([
    env.KAFKA_BROKERS
      ? givenKafka(env.KAFKA_BROKERS, options.givenTimeoutMs ?? 15_000)
      : startOne(
          'Kafka',
          docker,
          () => startKafkaContainer({ reap }),
          () => startLocalKafka({ ownerPid, version: options.kafkaVersion }),
          log,
        ),
    env.CLICKHOUSE_URL
      ? givenClickHouse(env, env.CLICKHOUSE_URL, options.givenTimeoutMs ?? 15_000)
      : startOne(
          'ClickHouse',
          docker,
          () => startClickHouseContainer({ reap }),
          () => startLocalClickHouse({ ownerPid }),
          log,
        ),
  ]);
  if (kafka.status === 'rejected' || clickhouse.status === 'rejected') {
    await Promise.all(
      [kafka, clickhouse].map((r) => (r.status === 'fulfilled' ? r.value.server?.stop() : undefined)),
    );
    const reasons = [kafka, clickhouse].flatMap((r, i) =>
      r.status === 'rejected' ? [`${i === 0 ? 'Kafka' : 'ClickHouse'}: ${(r.reason as Error).message}`] : [],
    );
    throw new Error(`test servers unavailable: ${reasons.join('; ')}`);
  }
  return {
    kafka: kafka.value,
    clickhouse: clickhouse.value,
    stop: async () => {
      await Promise.all([kafka.value.server?.stop(), clickhouse.value.server?.stop()]);
    },
  };
}
