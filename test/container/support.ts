/** Helpers of the container suite: image names, docker/compose commands, polling with a deadline. */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ContainerImages {
  readonly DOCKERD: string;
  readonly NODE_IMAGE: string;
  readonly KAFKA_IMAGE: string;
  readonly CLICKHOUSE_IMAGE: string;
  readonly SENTIFLOW_IMAGE: string;
}

const KEYS = ['DOCKERD', 'NODE_IMAGE', 'KAFKA_IMAGE', 'CLICKHOUSE_IMAGE', 'SENTIFLOW_IMAGE'] as const;

/** KEY=value lines (scripts/container/prepare.sh's output) -> the image names; the last line of a key wins. */
export function parseImages(text: string): ContainerImages {
  const found = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) found.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const missing = KEYS.filter((k) => !found.get(k));
  if (missing.length > 0) throw new Error(`prepare.sh did not report ${missing.join(', ')}`);
  return Object.fromEntries(KEYS.map((k) => [k, found.get(k)])) as unknown as ContainerImages;
}

/** The commands between the quickstart markers of docker/README.md, one per line. */
export function quickStart(readmePath = 'docker/README.md'): string[] {
  const text = readFileSync(readmePath, 'utf8');
  const block = /<!-- quickstart:start -->\s*```sh\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(text);
  if (!block?.[1]) throw new Error(`${readmePath} has no quickstart block`);
  return block[1]
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a shell command line; rejects with its output on a non-zero exit. */
export async function sh(line: string, env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<Ran> {
  try {
    return await run('bash', ['-c', line], { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`\`${line}\` failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`.trim());
  }
}

/** Runs a shell command line with `input` on its stdin; rejects with its output on a non-zero exit. */
export function shWithInput(
  line: string,
  env: NodeJS.ProcessEnv,
  input: string,
  timeoutMs = 60_000,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', line], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`\`${line}\` exited ${code}: ${stderr.trim() || stdout.trim()}`));
    });
    child.stdin.end(input);
  });
}

/** Calls `probe` until it returns a value, or fails after the deadline with the last reason. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 1_000, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline) throw new Error(`${what}: not within ${timeoutMs} ms (${last})`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The samples of one Prometheus metric at `url` (a /metrics endpoint): labels and value per line. */
export async function metricSamples(
  url: string,
  name: string,
): Promise<{ readonly labels: Readonly<Record<string, string>>; readonly value: number }[]> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const text = await res.text();
  const line = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm');
  return [...text.matchAll(line)].map((m) => ({
    labels: Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]])),
    value: Number(m[2]),
  }));
}
