import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so scripts work from any working directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Gitignored cache: Kafka jars per version, the services state file. */
export const cacheDir = join(repoRoot, '.cache');

export const kafkaPomPath = join(repoRoot, 'scripts', 'services', 'kafka', 'pom.xml');

export function kafkaLibsDir(version: string): string {
  return join(cacheDir, 'kafka', version, 'libs');
}

export const stateFile = join(cacheDir, 'services', 'state.json');
