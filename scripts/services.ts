/**
 * `npm run services:up` starts Kafka and ClickHouse for development (or reports the ones already up) and
 * prints their addresses as shell assignments on stdout: `eval "$(npm run -s services:up)"`.
 * `npm run services:down` stops them; `status` says what runs; `install` only fetches what the local
 * launchers need (Kafka jars via Maven, clickhouse-server via apt-get), for CI. Progress goes to stderr.
 * The servers outlive this command; the state lives in .cache/services/state.json.
 */
import { rmSync } from 'node:fs';
import { ensureClickHouseServer } from './services/clickhouse-local.js';
import { removeContainer } from './services/docker.js';
import { defaultKafkaVersion, ensureKafkaJars } from './services/kafka-jars.js';
import { stopProcess } from './services/processes.js';
import { type ProvidedServices, provideServices } from './services/provide.js';
import { describeServices, serviceEnv } from './services/report.js';
import {
  readState,
  recordAlive,
  type ServerRecord,
  type ServicesState,
  withStateLock,
  writeState,
} from './services/state.js';
import type { Provided } from './services/types.js';

const say = (line: string): void => {
  process.stderr.write(`[services] ${line}\n`);
};

async function stopRecord(record: ServerRecord<unknown> | undefined): Promise<void> {
  if (!record) return;
  if (record.pid !== undefined && (await recordAlive(record))) await stopProcess(record.pid);
  if (record.containerId !== undefined) await removeContainer(record.containerId);
  if (record.dir) rmSync(record.dir, { recursive: true, force: true });
}

function toRecord<E>(provided: Provided<E>): ServerRecord<E> {
  const { server } = provided;
  return {
    endpoint: provided.endpoint,
    pid: server?.pid,
    containerId: server?.containerId,
    dir: server?.dir,
    startedAt: new Date().toISOString(),
  };
}

async function up(): Promise<void> {
  const state = readState();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Servers started by an earlier `up` are offered as given addresses; provideServices checks they answer.
  const kafkaUp = !env.KAFKA_BROKERS && (await recordAlive(state.kafka));
  const clickhouseUp = !env.CLICKHOUSE_URL && (await recordAlive(state.clickhouse));
  if (kafkaUp && state.kafka) env.KAFKA_BROKERS = state.kafka.endpoint.brokers.join(',');
  if (clickhouseUp && state.clickhouse) {
    const ch = state.clickhouse.endpoint;
    Object.assign(env, {
      CLICKHOUSE_URL: ch.url,
      CLICKHOUSE_USER: ch.user,
      CLICKHOUSE_PASSWORD: ch.password,
      CLICKHOUSE_DATABASE: ch.database,
    });
  }
  if (!kafkaUp) await stopRecord(state.kafka);
  if (!clickhouseUp) await stopRecord(state.clickhouse);
  const services: ProvidedServices = await provideServices({
    env,
    log: say,
    noDocker: process.env.SENTIFLOW_SERVICES === 'local',
  });
  const next: ServicesState = {
    kafka: kafkaUp ? state.kafka : services.kafka.server ? toRecord(services.kafka) : undefined,
    clickhouse: clickhouseUp
      ? state.clickhouse
      : services.clickhouse.server
        ? toRecord(services.clickhouse)
        : undefined,
  };
  writeState(next);
  // Already-running servers are described as recorded (exact version, launcher), not as "given in env".
  const shown = {
    kafka: kafkaUp && state.kafka ? { ...services.kafka, endpoint: state.kafka.endpoint } : services.kafka,
    clickhouse:
      clickhouseUp && state.clickhouse
        ? { ...services.clickhouse, endpoint: state.clickhouse.endpoint }
        : services.clickhouse,
  };
  const [kafkaLine, clickhouseLine] = describeServices(shown);
  say(`${kafkaLine}${kafkaUp ? ' — already running' : ''}`);
  say(`${clickhouseLine}${clickhouseUp ? ' — already running' : ''}`);
  for (const [key, value] of Object.entries(serviceEnv(services))) {
    process.stdout.write(`${key}=${value}\n`);
  }
}

async function down(): Promise<void> {
  const state = readState();
  if (!state.kafka && !state.clickhouse) {
    say('nothing to stop');
    return;
  }
  for (const [name, record] of Object.entries(state) as [string, ServerRecord<unknown> | undefined][]) {
    await stopRecord(record);
    say(
      `stopped ${name}${record?.pid ? ` (pid ${record.pid})` : ''}${record?.containerId ? ` (container ${record.containerId.slice(0, 12)})` : ''}`,
    );
  }
  writeState({});
}

async function status(): Promise<void> {
  const state = readState();
  for (const name of ['kafka', 'clickhouse'] as const) {
    const record = state[name];
    const alive = await recordAlive(record);
    say(
      `${name}: ${record ? `${alive ? 'running' : 'dead'} ${JSON.stringify(record.endpoint)}` : 'not started'}`,
    );
  }
}

async function install(): Promise<void> {
  const libs = await ensureKafkaJars();
  say(`Kafka ${defaultKafkaVersion} jars in ${libs}`);
  const clickhouse = await ensureClickHouseServer(true);
  say(`ClickHouse server: ${[clickhouse.command, ...clickhouse.args].join(' ')}`);
}

const commands: Record<string, () => Promise<void>> = { up, down, status, install };
const command = commands[process.argv[2] ?? ''];
if (!command) {
  process.stderr.write('usage: tsx scripts/services.ts up|down|status|install\n');
  process.exit(2);
}
try {
  await (command === commands.status ? command() : withStateLock(command));
} catch (error) {
  process.stderr.write(`[services] ${(error as Error).message}\n`);
  process.exit(1);
}
