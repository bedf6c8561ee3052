import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { containerRunning } from './docker.js';
import { stateFile } from './paths.js';
import { isAlive } from './processes.js';
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
  if (record.pid !== undefined) return isAlive(record.pid);
  if (record.containerId !== undefined) return containerRunning(record.containerId);
  return false;
}
