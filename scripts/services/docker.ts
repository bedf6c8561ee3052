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
