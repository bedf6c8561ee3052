import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { kafkaLibsDir, kafkaPomPath } from './paths.js';

const run = promisify(execFile);

/** The Kafka release the launcher runs unless told otherwise (served by Maven Central: 4.0.x-4.3.x). */
export const defaultKafkaVersion = '4.3.1';

/**
 * Resolves `org.apache.kafka:kafka_2.13:<version>` and its runtime dependencies with Maven into
 * .cache/kafka/<version>/libs, once: a marker file says the copy completed. Concurrent callers each
 * copy into their own temp dir and the first rename wins.
 */
export async function ensureKafkaJars(version = defaultKafkaVersion): Promise<string> {
  const libs = kafkaLibsDir(version);
  const marker = join(libs, '.complete');
  if (existsSync(marker)) return libs;
  const staging = `${libs}.tmp-${process.pid}`;
  mkdirSync(dirname(libs), { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  try {
    await run(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        kafkaPomPath,
        'dependency:copy-dependencies',
        `-DoutputDirectory=${staging}`,
        `-Dkafka.version=${version}`,
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 },
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('Maven (mvn) is not installed: apt-get install -y maven');
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-10).join('\n');
    throw new Error(`Maven could not resolve Kafka ${version}: ${output || e.message}`);
  }
  writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
  if (existsSync(marker)) {
    rmSync(staging, { recursive: true, force: true });
    return libs;
  }
  rmSync(libs, { recursive: true, force: true });
  renameSync(staging, libs);
  return libs;
}
