import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { clickHouseVersion, pingClickHouse } from './clickhouse-probe.js';
import { pollUntil } from './poll.js';
import { freePorts } from './ports.js';
import { isAlive, spawnServer, startWatchdog, stopProcess, tail } from './processes.js';
import type { ClickHouseEndpoint, Provided } from './types.js';

const run = promisify(execFile);

export interface LocalClickHouseOptions {
  /** When set, a watchdog kills the server once this process is gone (tests); unset, it outlives us. */
  readonly ownerPid?: number;
  readonly readyTimeoutMs?: number;
  /** Install Debian's clickhouse-server with apt-get when no server binary is found (needs root). */
  readonly install?: boolean;
}

const searchPath = ['/usr/sbin', '/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(':')];

function findBinary(name: string): string | undefined {
  return searchPath.map((d) => join(d, name)).find((p) => existsSync(p));
}

/** Debian's 18.16 ships `clickhouse-server`; current builds ship one `clickhouse` binary with a `server` verb. */
export function findClickHouseServer(): { command: string; args: string[] } | undefined {
  const legacy = findBinary('clickhouse-server');
  if (legacy) return { command: legacy, args: [] };
  const single = findBinary('clickhouse');
  return single ? { command: single, args: ['server'] } : undefined;
}

export async function ensureClickHouseServer(install = true): Promise<{ command: string; args: string[] }> {
  const found = findClickHouseServer();
  if (found) return found;
  if (!install) throw new Error('ClickHouse server is not installed: apt-get install -y clickhouse-server');
  if (process.getuid?.() !== 0) {
    throw new Error(
      'ClickHouse server is not installed and we are not root: sudo apt-get install -y clickhouse-server',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update', '-qq'], { env, timeout: 10 * 60_000 });
    await run('apt-get', ['install', '-y', '-qq', 'clickhouse-server'], { env, timeout: 10 * 60_000 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(
      `apt-get could not install clickhouse-server: ${(e.stderr ?? e.message).trim().slice(-300)}`,
    );
  }
  const installed = findClickHouseServer();
  if (!installed) throw new Error('apt-get installed clickhouse-server but no server binary was found');
  return installed;
}

function configXml(dir: string, httpPort: number, tcpPort: number): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>information</level>
    <log>${dir}/log/server.log</log>
    <errorlog>${dir}/log/error.log</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
</yandex>
`;
}

// The default user, no password, loopback only: a throwaway test server.
const usersXml = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

/**
 * Starts ClickHouse on a random loopback HTTP port (and native port) with data, tmp and logs in a temp dir.
 * A port taken by someone else between choosing and binding it costs one more attempt.
 */
export async function startLocalClickHouse(
  options: LocalClickHouseOptions = {},
): Promise<Provided<ClickHouseEndpoint>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(options: LocalClickHouseOptions): Promise<Provided<ClickHouseEndpoint>> {
  const started = Date.now();
  const binary = await ensureClickHouseServer(options.install ?? true);
  const dir = mkdtempSync(join(tmpdir(), 'sentiflow-clickhouse-'));
  for (const sub of ['data', 'tmp', 'log', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub));
  const [httpPort, tcpPort] = (await freePorts(2)) as [number, number];
  writeFileSync(join(dir, 'config.xml'), configXml(dir, httpPort, tcpPort));
  writeFileSync(join(dir, 'users.xml'), usersXml);
  const args = [...binary.args, `--config-file=${join(dir, 'config.xml')}`];
  const stdoutLog = join(dir, 'log', 'stdout.log');
  const proc = spawnServer(binary.command, args, { cwd: dir, logFile: stdoutLog });
  if (options.ownerPid !== undefined) startWatchdog(options.ownerPid, proc.pid, dir);
  const stop = async (): Promise<void> => {
    await stopProcess(proc.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${httpPort}`;
  try {
    await pollUntil(() => pingClickHouse(url), {
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      intervalMs: 100,
      what: `ClickHouse /ping on ${url}`,
      abort: () =>
        isAlive(proc.pid)
          ? undefined
          : new Error(
              `ClickHouse exited during start-up:\n${tail(join(dir, 'log', 'error.log'))}\n${tail(stdoutLog)}`,
            ),
    });
    const auth = { url, user: 'default', password: '' };
    const version = await clickHouseVersion(auth);
    return {
      endpoint: { ...auth, database: 'default', version, source: 'local' },
      server: { pid: proc.pid, dir, stop },
      startMs: Date.now() - started,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
