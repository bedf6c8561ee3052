import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../pipeline/observe/metrics.js';
import { createReadiness } from '../../../pipeline/observe/readiness.js';
import { type ObserveServer, startObserveServer } from '../../../pipeline/observe/server.js';

let server: ObserveServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(now: () => number = Date.now) {
  const metrics = createMetrics({ defaultMetrics: false });
  const readiness = createReadiness({ staleMs: 1_000, now, metrics });
  server = await startObserveServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, readiness });
  return { metrics, readiness, url: server.url };
}

describe('observe server', () => {
  it('binds the loopback address it was given', async () => {
    const { url } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves counters in Prometheus text format on /metrics', async () => {
    const { metrics, url } = await start();
    metrics.dropped.inc({ stage: 'filter', reason: 'language' }, 3);
    metrics.orders.inc({ status: 'filled' });
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('sentiflow_dropped_total{stage="filter",reason="language",app="sentiflow"} 3');
    expect(text).toContain('sentiflow_orders_total{status="filled",app="sentiflow"} 1');
    expect(text).toContain('# TYPE sentiflow_flush_seconds histogram');
  });

  it('answers /healthz while the event loop is responsive', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('is not ready until every dependency answered, and not ready again once one goes stale', async () => {
    let clock = 10_000;
    const { readiness, url } = await start(() => clock);
    readiness.register('kafka');
    readiness.register('clickhouse');
    readiness.ok('kafka');
    let res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { dependencies: { name: string; ready: boolean }[] };
    expect(body.dependencies).toEqual([
      expect.objectContaining({ name: 'kafka', ready: true }),
      expect.objectContaining({ name: 'clickhouse', ready: false, sinceOkMs: null }),
    ]);
    readiness.ok('clickhouse');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    clock += 1_001;
    readiness.ok('kafka');
    readiness.failed('clickhouse', 'connect ECONNREFUSED');
    res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toContain('ECONNREFUSED');
  });

  it('answers 404 elsewhere and 405 to writes', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('fails with one clear line when the port is taken', async () => {
    const { url } = await start();
    const port = Number(new URL(url).port);
    const metrics = createMetrics({ defaultMetrics: false });
    await expect(
      startObserveServer({
        host: '127.0.0.1',
        port,
        registry: metrics.registry,
        readiness: createReadiness({ staleMs: 1 }),
      }),
    ).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ .*EADDRINUSE.*METRICS_PORT/);
  });
});
