import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export interface SpawnedProcess {
  readonly pid: number;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<string>;
}

/**
 * Starts a server as the leader of its own process group, stdout/stderr appended to `logFile`,
 * not tied to our lifetime: a terminal Ctrl-C does not reach it, our teardown or the watchdog stops it.
 */
export function spawnServer(
  command: string,
  args: readonly string[],
  options: { cwd: string; logFile: string; env?: NodeJS.ProcessEnv },
): SpawnedProcess {
  const out = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
      child.once('error', (error) => resolve(error.message));
    });
    child.unref();
    return { pid: child.pid, exited };
  } finally {
    closeSync(out);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The process is alive and its command line mentions `needle` (its data dir): a recorded pid that
 * was reused by an unrelated process after a reboot or crash must never be signalled.
 */
export function isOurProcess(pid: number, needle: string): boolean {
  try {
    return isAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM the process group, wait up to `graceMs` for it to go, then SIGKILL. */
export async function stopProcess(pid: number, graceMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await delay(50);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await delay(20);
}

/** Synchronous last resort for process 'exit' handlers: no waiting possible there. */
export function killNow(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}

// Polls once a second; when the owner is gone it stops the target (TERM, then KILL after 10 s) and
// removes its directory.
const watchdogScript = `
owner=$1; target=$2; dir=$3
while kill -0 "$owner" 2>/dev/null; do
  kill -0 "$target" 2>/dev/null || exit 0
  sleep 1
done
kill -TERM -"$target" 2>/dev/null || kill -TERM "$target" 2>/dev/null
i=0
while kill -0 "$target" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i+1)); done
kill -KILL -"$target" 2>/dev/null || kill -KILL "$target" 2>/dev/null
[ -n "$dir" ] && rm -rf "$dir"
exit 0
`;

/**
 * A detached shell that kills `targetPid` when `ownerPid` disappears, whatever way the owner died
 * (SIGKILL and crashes included), and removes `dir`. It exits by itself once the target is gone.
 */
export function startWatchdog(ownerPid: number, targetPid: number, dir = ''): number {
  const args = ['-c', watchdogScript, 'sentiflow-watchdog', String(ownerPid), String(targetPid), dir];
  const child = spawn('sh', args, { detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid === undefined) throw new Error('could not start the watchdog');
  return child.pid;
}

/** The last lines of a log file, for error messages when a server fails to start. */
export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
