/**
 * The test servers' ports (scripts/services/ports.ts): concurrent starts in one process never share one,
 * and none comes from the kernel's ephemeral range, where an outgoing connection could take it before
 * the server binds it.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, freePorts } from '../../scripts/services/ports.js';

describe('freePorts', () => {
  it('hands concurrent callers distinct ports below the ephemeral range', async () => {
    const batches = await Promise.all([freePorts(2), freePorts(3), freePorts(2), freePorts(3)]);
    const ports = batches.flat();
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(1024);
      expect(port).toBeLessThan(32_768);
    }
  });

  it('gives a port that can be bound right after', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port, exclusive: true }, resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
