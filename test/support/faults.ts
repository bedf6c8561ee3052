/**
 * Fault injection for outage tests: a real restart of a server we started (Kafka broker or ClickHouse),
 * not a pause. `restartable(provided)` remembers the server's command line and working directory from
 * /proc/<pid>; `kill()` SIGKILLs it (no clean shutdown, like a crash or an OOM kill) and `start()`
 * spawns the same command again: same ports, same data directory. Only servers this test process
 * started may be handed in (they were spawned with their data dir on the command line).
 *
 * Also: a `sentiflow` child process whose stderr log lines are kept, to run and SIGKILL the CLI.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { type Config, loadConfig } from '../../pipeline/config.js';
import { topicSpecs } from '../../pipeline/topics.js';
import { pingClickHouse } from '../../scripts/services/clickhouse-probe.js';
import { waitForKafka } from '../../scripts/services/kafka-ready.js';
import { pollUntil } from '../../scripts/services/poll.js';
import {
  isAlive,
  isOurProcess,
  spawnServer,
  startWatchdog,
  stopProcess,
} from '../../scripts/services/processes.js';
import type { StartedServer } from '../../scripts/services/types.js';
import { type ClickHouseClient, createClickHouse } from '../../sinks/clickhouse/client.js';
import { migrate } from '../../sinks/clickhouse/migrations.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { createProducer, type TopicProducer } from '../../sinks/kafka/producer.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import { binPath } from './cli.js';
import { clickHouseConnection, kafkaBrokers, uniqueName } from './servers.js';

export interface RestartableServer {
  readonly pid: () => number;
  /** SIGKILL, then wait until the process is gone. */
  kill(): Promise<void>;
  /** Starts the same command again (same ports, same data) and waits until it serves. */
  start(): Promise<void>;
  /** Stops whichever process runs now and removes the data directory. */
  stop(): Promise<void>;
}

export type Readiness = { kind: 'kafka'; brokers: readonly string[] } | { kind: 'clickhouse'; url: string };

export function restartable(
  server: StartedServer,
  ready: Readiness,
  ownerPid = process.pid,
): RestartableServer {
  if (server.pid === undefined || server.dir === undefined)
    throw new Error('restartable needs a local server this process started (pid and dir)');
  const dir = server.dir;
  if (!isOurProcess(server.pid, dir)) throw new Error(`pid ${server.pid} is not the server in ${dir}`);
  const argv = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const cwd = readlinkSync(`/proc/${server.pid}/cwd`);
  const [command, ...args] = argv as [string, ...string[]];
  let pid = server.pid;
  let restarts = 0;

  const waitReady = async (): Promise<void> => {
    if (ready.kind === 'kafka') {
      await waitForKafka(ready.brokers, {
        timeoutMs: 90_000,
        abort: () => (isAlive(pid) ? undefined : new Error('Kafka exited during restart')),
      });
    } else {
      await pollUntil(() => pingClickHouse(ready.url), {
        timeoutMs: 60_000,
        intervalMs: 100,
        what: `ClickHouse ${ready.url} after restart`,
      });
    }
  };

  return {
    pid: () => pid,
    async kill() {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await pollUntil(() => !isAlive(pid), { timeoutMs: 10_000, intervalMs: 20, what: `pid ${pid} to die` });
    },
    async start() {
      restarts++;
      const proc = spawnServer(command, args, { cwd, logFile: join(dir, `restart-${restarts}.log`) });
      pid = proc.pid;
      startWatchdog(ownerPid, pid, dir);
      await waitReady();
    },
    async stop() {
      if (pid === server.pid) {
        await server.stop();
        return;
      }
      await stopProcess(pid);
      await server.stop(); // removes the data dir (the first pid is long gone)
    },
  };
}

/**
 * A scratch world like process-fixture's, on the shared test servers or on private ones (whose
 * ClickHouse has the default user): unique topics and database, migrations applied.
 */
export interface World {
  readonly config: Config;
  readonly env: Record<string, string>;
  readonly kafka: Kafka;
  readonly producer: TopicProducer;
  readonly clickhouse: ClickHouseClient;
  readonly topic: string;
  rows<T>(query: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function createWorld(
  name: string,
  servers: { brokers?: readonly string[]; clickhouseUrl?: string } = {},
): Promise<World> {
  const id = uniqueName(name);
  const ch = clickHouseConnection();
  const privateCh = servers.clickhouseUrl !== undefined;
  const env: Record<string, string> = {
    KAFKA_BROKERS: (servers.brokers ?? kafkaBrokers()).join(','),
    CLICKHOUSE_URL: servers.clickhouseUrl ?? ch.url,
    CLICKHOUSE_USER: privateCh ? 'default' : ch.user,
    CLICKHOUSE_PASSWORD: privateCh ? '' : ch.password,
    CLICKHOUSE_DATABASE: id,
    TOPIC_TWEETS_RAW: `${id}.raw`,
    TOPIC_TWEETS_DLQ: `${id}.dlq`,
    TOPIC_SIGNALS: `${id}.signals`,
    TOPIC_ORDERS: `${id}.orders`,
    TOPIC_TWEETS_SCORED: `${id}.scored`,
    TOPIC_PARTITIONS: '3',
    // Fail fast enough per attempt that the back-off loop, not one request, waits out the outage.
    KAFKA_RETRY_DEADLINE_MS: '5000',
    KAFKA_REQUEST_TIMEOUT_MS: '5000',
    CLICKHOUSE_REQUEST_TIMEOUT_MS: '5000',
  };
  const config = loadConfig({ env });
  const kafka = createKafka({ ...config.kafka, retryDeadlineMs: 20_000 });
  await ensureTopics(kafka, topicSpecs(config.topics), { brokers: config.kafka.brokers });
  const admin = createClickHouse({ ...config.clickhouse, database: 'default' });
  const clickhouse = createClickHouse(config.clickhouse);
  await migrate(admin, clickhouse, { url: config.clickhouse.url, database: id });
  const producer = await createProducer(kafka, { brokers: config.kafka.brokers, deadlineMs: 60_000 });
  return {
    config,
    env,
    kafka,
    producer,
    clickhouse,
    topic: config.topics.tweetsRaw,
    async rows<T>(query: string) {
      return (await clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();
    },
    async close() {
      await producer.close().catch(() => undefined);
      await admin.command({ query: `DROP DATABASE IF EXISTS ${id}` }).catch(() => undefined);
      await Promise.all([admin.close(), clickhouse.close()]);
    },
  };
}

export interface CliChild {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** stderr so far. */
  readonly stderr: () => string;
  /** stderr JSON log lines' `msg` fields so far. */
  readonly messages: () => string[];
}

/** Runs the built CLI with `env` on top of ours; stdout is ignored, stderr kept. */
export function startCli(args: readonly string[], env: Record<string, string>): CliChild {
  const child = spawn(process.execPath, [binPath, ...args], {
    env: { ...process.env, METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const messages = (): string[] =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return String((JSON.parse(l) as { msg?: unknown }).msg ?? '');
        } catch {
          return '';
        }
      });
  return { child, exited, stderr: () => stderr, messages };
}

/** Resolves with the exit code, or fails with the end of the child's log when it does not exit in time. */
export async function exitWithin(run: CliChild, ms: number): Promise<number | null> {
  const code = await Promise.race([
    run.exited,
    new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms).unref()),
  ]);
  if (code === 'hung') {
    run.child.kill('SIGKILL');
    throw new Error(
      `the command did not exit within ${ms} ms; its last log lines:\n${run.stderr().slice(-4_000)}`,
    );
  }
  return code;
}
