import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { probeKafkaVersion } from '../../sinks/kafka/version-probe.js';
import { defaultKafkaVersion, ensureKafkaJars } from './kafka-jars.js';
import { waitForKafka } from './kafka-ready.js';
import { freePorts } from './ports.js';
import { isAlive, spawnServer, startWatchdog, stopProcess, tail } from './processes.js';
import type { KafkaEndpoint, Provided } from './types.js';

const run = promisify(execFile);

export interface LocalKafkaOptions {
  readonly version?: string;
  readonly heapMb?: number;
  /** When set, a watchdog kills the broker once this process is gone (tests); unset, it outlives us. */
  readonly ownerPid?: number;
  readonly readyTimeoutMs?: number;
}

function serverProperties(dir: string, brokerPort: number, controllerPort: number): string {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(dir, 'data')}`,
    // One node: every internal topic has a single replica, and few partitions keep start-up fast.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=4',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
  ].join('\n')}\n`;
}

const log4j = `status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = \${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
`;

/**
 * A fresh KRaft cluster id, for the local launcher's storage format and the container's CLUSTER_ID:
 * 16 random bytes, URL-safe base64 without padding (what StorageTool random-uuid prints).
 */
export function clusterId(): string {
  const id = randomBytes(16).toString('base64url');
  // StorageTool's argument parser reads an id starting with '-' as an option (1 start in 64 failed;
  // the image's entrypoint passes CLUSTER_ID to the same tool).
  return id.startsWith('-') ? `A${id.slice(1)}` : id;
}

/**
 * Starts a single-node KRaft Kafka (broker + controller) on random loopback ports, in a fresh temp dir.
 * A port taken by someone else between choosing and binding it costs one more attempt.
 */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<Provided<KafkaEndpoint>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(options: LocalKafkaOptions): Promise<Provided<KafkaEndpoint>> {
  const started = Date.now();
  const version = options.version ?? defaultKafkaVersion;
  const libs = await ensureKafkaJars(version);
  const dir = mkdtempSync(join(tmpdir(), 'sentiflow-kafka-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const [brokerPort, controllerPort] = (await freePorts(2)) as [number, number];
  const config = join(dir, 'server.properties');
  writeFileSync(config, serverProperties(dir, brokerPort, controllerPort));
  writeFileSync(join(dir, 'log4j2.properties'), log4j);
  const jvm = [
    `-Xms${Math.min(128, options.heapMb ?? 512)}m`,
    `-Xmx${options.heapMb ?? 512}m`,
    // Start-up is JIT-bound on 2 shared cores: C1 only starts ~40% faster here (5-7 s vs 9-10 s
    // under load) and a test broker never needs C2's peak throughput.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${logs}`,
    '-cp',
    `${libs}/*`,
  ];
  try {
    const format = ['kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', config, '--standalone'];
    await run('java', [...jvm, ...format], { timeout: 60_000 });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('Java is not installed: apt-get install -y openjdk-17-jre-headless');
    throw new Error(
      `Kafka storage format failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-5).join(' ')}`,
    );
  }
  const stdoutLog = join(logs, 'stdout.log');
  const proc = spawnServer('java', [...jvm, 'kafka.Kafka', config], { cwd: dir, logFile: stdoutLog });
  if (options.ownerPid !== undefined) startWatchdog(options.ownerPid, proc.pid, dir);
  let exitedWith: string | undefined;
  void proc.exited.then((how) => {
    exitedWith = how;
  });
  const stop = async (): Promise<void> => {
    await stopProcess(proc.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  const broker = `127.0.0.1:${brokerPort}`;
  try {
    await waitForKafka([broker], {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      abort: () =>
        exitedWith !== undefined || !isAlive(proc.pid)
          ? new Error(`Kafka exited during start-up (${exitedWith ?? 'gone'})`)
          : undefined,
    });
    const wire = await probeKafkaVersion(broker);
    const reported = version.startsWith(`${wire.release}.`)
      ? version
      : `${version} (broker says ${wire.release})`;
    return {
      endpoint: { brokers: [broker], version: reported, source: 'local' },
      server: { pid: proc.pid, dir, stop },
      startMs: Date.now() - started,
    };
  } catch (error) {
    const logTail = `${tail(join(logs, 'server.log'), 8)}\n${tail(stdoutLog, 5)}`;
    // A bind failure is followed by many shutdown lines, so look for it in the whole log.
    const taken = tail(join(logs, 'server.log'), 100_000).includes('Address already in use');
    await stop();
    const reason = taken ? 'a port was taken meanwhile (Address already in use)' : (error as Error).message;
    throw new Error(`${reason}\n(last Kafka log lines)\n${logTail}`);
  }
}
