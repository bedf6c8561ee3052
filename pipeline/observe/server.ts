/**
 * The observability HTTP server of a long-running command (node:http, no framework):
 *   GET /metrics  Prometheus text format from the command's registry
 *   GET /healthz  200 while the process is alive and its event loop responsive (p99 delay under a bound)
 *   GET /readyz   200 while every registered dependency answered recently (see readiness.ts), else 503
 *                 with the state of each, as JSON
 * Binds 127.0.0.1 by default (METRICS_HOST): exposing it beyond the machine is a deliberate choice.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { UnavailableError } from '../../lib/errors.js';
import type { Readiness } from './readiness.js';

export interface ObserveServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly registry: Registry;
  readonly readiness: Readiness;
  readonly logger?: Logger;
  /** /healthz fails when the event loop's recent p99 delay exceeds this. */
  readonly maxEventLoopDelayMs?: number;
}

export interface ObserveServer {
  /** e.g. http://127.0.0.1:9464 */
  readonly url: string;
  close(): Promise<void>;
}

export async function startObserveServer(options: ObserveServerOptions): Promise<ObserveServer> {
  const maxDelayMs = options.maxEventLoopDelayMs ?? 1_000;
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  // Recent delay only: reset the histogram every 10 s.
  const reset = setInterval(() => loop.reset(), 10_000);
  reset.unref();

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      options.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text))
        .catch((error: unknown) => json(500, { error: String(error) }));
    } else if (path === '/healthz') {
      const p99Ms = loop.count > 0 ? loop.percentile(99) / 1e6 : 0;
      const ok = p99Ms <= maxDelayMs;
      json(ok ? 200 : 503, {
        status: ok ? 'ok' : 'event loop blocked',
        eventLoopDelayP99Ms: Math.round(p99Ms),
      });
    } else if (path === '/readyz') {
      const ready = options.readiness.ready();
      json(ready ? 200 : 503, {
        status: ready ? 'ready' : 'not ready',
        dependencies: options.readiness.states(),
      });
    } else {
      json(404, { error: 'not found', paths: ['/metrics', '/healthz', '/readyz'] });
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UnavailableError(
          'metrics',
          `cannot listen on ${options.host}:${options.port} for /metrics (${error.code ?? error.message}); set METRICS_PORT (0 = off)`,
          error,
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  options.logger?.info({ url }, 'metrics and health endpoints listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(reset);
        loop.disable();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
