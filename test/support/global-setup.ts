/**
 * vitest globalSetup of the `integration` project: provides real Kafka and ClickHouse (addresses given
 * in the environment > testcontainers > the local launchers, see scripts/services/provide.ts), exports
 * their addresses as environment variables before any worker starts, so test files and the CLI child
 * processes they spawn read them, and prints which path ran with the server versions.
 * If a server cannot be provided, the run fails here with one message: integration tests never skip.
 * Servers we started stop in teardown; a watchdog kills them if this process dies without teardown.
 */
import { killNow } from '../../scripts/services/processes.js';
import { provideServices } from '../../scripts/services/provide.js';
import { describeServices, serviceEnv } from '../../scripts/services/report.js';

export default async function setup(): Promise<() => Promise<void>> {
  const log = (line: string): void => {
    process.stdout.write(`[test servers] ${line}\n`);
  };
  let services: Awaited<ReturnType<typeof provideServices>>;
  try {
    services = await provideServices({
      env: process.env,
      ownerPid: process.pid,
      log,
      noDocker: process.env.SENTIFLOW_SERVICES === 'local',
    });
  } catch (error) {
    // The message says it all (with the launcher's log tail when one failed to start); the stack of
    // this setup function would only bury it.
    const failure = new Error(`integration tests need real servers: ${(error as Error).message}`);
    failure.stack = `Error: ${failure.message}`;
    throw failure;
  }
  for (const line of describeServices(services)) log(line);
  Object.assign(process.env, serviceEnv(services));
  const pids = [services.kafka.server?.pid, services.clickhouse.server?.pid].filter((p) => p !== undefined);
  const onExit = (): void => {
    for (const pid of pids) killNow(pid);
  };
  process.once('exit', onExit);
  return async () => {
    process.off('exit', onExit);
    await services.stop();
  };
}
