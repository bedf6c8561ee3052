import { request } from 'node:http';

/** Where the Docker engine listens: DOCKER_HOST (unix:// or tcp://) or the default socket. */
function engine(env: NodeJS.ProcessEnv): { socketPath: string } | { host: string; port: number } {
  const given = env.DOCKER_HOST;
  if (given?.startsWith('tcp://')) {
    const url = new URL(given.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return {
    socketPath: given?.startsWith('unix://') ? given.slice('unix://'.length) : '/var/run/docker.sock',
  };
}

/** One small request to the Docker engine API; rejects on connection failure or timeout. */
export function dockerApi(
  method: string,
  path: string,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...engine(options.env ?? process.env), method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(options.timeoutMs ?? 1_500, () =>
      req.destroy(new Error('Docker engine did not answer in time')),
    );
    req.once('error', reject);
    req.end();
  });
}

/** Quick probe: does a Docker engine answer /_ping? Never throws; says why not. */
export async function dockerReachable(env?: NodeJS.ProcessEnv): Promise<{ ok: boolean; why: string }> {
  try {
    const { status, body } = await dockerApi('GET', '/_ping', { env, timeoutMs: 1_500 });
    return status === 200
      ? { ok: true, why: 'engine answers /_ping' }
      : { ok: false, why: `/_ping ${status} ${body}` };
  } catch (error) {
    return { ok: false, why: (error as Error).message };
  }
}

/**
 * Makes sure `image` is present, pulling it if needed: this is the "can pull" test. Without a reachable
 * registry the engine answers with an error within seconds; a pull that progresses keeps the socket
 * busy, so the idle timeout only fires on a stalled pull.
 */
export async function ensureImage(image: string, idleTimeoutMs = 30_000): Promise<void> {
  const inspect = await dockerApi('GET', `/images/${encodeURIComponent(image)}/json`);
  if (inspect.status === 200) return;
  const colon = image.lastIndexOf(':');
  const [name, tag] =
    colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, 'latest'];
  const query = `fromImage=${encodeURIComponent(name)}&tag=${encodeURIComponent(tag)}`;
  const pull = await dockerApi('POST', `/images/create?${query}`, { timeoutMs: idleTimeoutMs });
  // The answer is JSON lines of progress; a failed pull ends with {"error": ...} or is one {"message": ...}.
  const lines = pull.body.split('\n').filter((l) => l.trim().startsWith('{'));
  const messages = lines.map((l) => JSON.parse(l) as { error?: string; message?: string });
  const failed = messages.find((m) => m.error !== undefined);
  const failure = failed?.error ?? (pull.status === 200 ? undefined : (messages[0]?.message ?? pull.body));
  if (failure !== undefined) throw new Error(`cannot pull ${image}: ${failure.trim().slice(0, 200)}`);
}

/** Force-removes a container we started for `services:up` (Ryuk is off there, so nobody else will). */
export async function removeContainer(id: string): Promise<void> {
  const { status, body } = await dockerApi('DELETE', `/containers/${encodeURIComponent(id)}?force=true`, {
    timeoutMs: 30_000,
  });
  if (status !== 204 && status !== 404) throw new Error(`docker could not remove ${id}: ${status} ${body}`);
}

export async function containerRunning(id: string): Promise<boolean> {
  try {
    const { status, body } = await dockerApi('GET', `/containers/${encodeURIComponent(id)}/json`);
    return status === 200 && (JSON.parse(body) as { State?: { Running?: boolean } }).State?.Running === true;
  } catch {
    return false;
  }
}
