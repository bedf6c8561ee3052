import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { containerRunning } from './docker.js';
import { stateFile } from './paths.js';
import { isAlive, isOurProcess } from './processes.js';
import type { ClickHouseEndpoint, KafkaEndpoint } from './types.js';

/** What `services:up` started and left running, so `up` is idempotent and `down` knows what to stop. */
export interface ServerRecord<E> {
  readonly endpoint: E;
  readonly pid?: number;
  readonly containerId?: string;
  readonly dir?: string;
  readonly startedAt: string;
}

export interface ServicesState {
  kafka?: ServerRecord<KafkaEndpoint>;
  clickhouse?: ServerRecord<ClickHouseEndpoint>;
}

export function readState(file = stateFile): ServicesState {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ServicesState;
  } catch {
    return {};
  }
}

export function writeState(state: ServicesState, file = stateFile): void {
  if (!state.kafka && !state.clickhouse) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, file);
}

/** A recorded server still exists (its process or container); whether it answers is checked by the caller. */
export async function recordAlive(record: ServerRecord<unknown> | undefined): Promise<boolean> {
  if (!record) return false;
  if (record.pid !== undefined)
    return record.dir ? isOurProcess(record.pid, record.dir) : isAlive(record.pid);
  if (record.containerId !== undefined) return containerRunning(record.containerId);
  return false;
}

/**
 * Runs `body` holding .cache/services/state.json.lock, so two `services:up` at once cannot both start
 * servers and lose one of them from the state file. A lock whose holder died is taken over.
 */
export async function withStateLock<T>(
  body: () => Promise<T>,
  file = stateFile,
  timeoutMs = 120_000,
): Promise<T> {
  const lock = `${file}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, { encoding: 'utf8', flag: 'r' }) || '0');
      if (holder > 0 && !isAlive(holder)) rmSync(lock, { force: true });
      else if (Date.now() > deadline)
        throw new Error(`another services command (pid ${holder}) holds ${lock}`);
      else await delay(200);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { force: true });
  }
}
