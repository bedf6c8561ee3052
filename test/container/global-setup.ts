/**
 * Prepares Docker for the container suite (scripts/container/prepare.sh: tools, dockerd, stand-in base
 * images, the sentiflow image from docker/Dockerfile) and hands the image names to the specs. Stops
 * dockerd afterwards when it started it, so the machine is left as it was found.
 */
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { type ContainerImages, parseImages } from './support.js';

declare module 'vitest' {
  export interface ProvidedContext {
    containerImages: ContainerImages;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const out = execFileSync('bash', ['scripts/container/prepare.sh'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 30 * 60_000,
  });
  const images = parseImages(out);
  project.provide('containerImages', images);
  return async () => {
    const started = /^started (\d+)$/.exec(images.DOCKERD);
    if (!started) return;
    const pid = Number(started[1]);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (isAlive(pid)) throw new Error(`dockerd (pid ${pid}) did not stop within 30 s`);
  };
}
