import type { Kafka } from 'kafkajs';
import { type Observable, tap } from 'rxjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RawEnvelope } from '../../operators/types.js';
import { runIngest } from '../../pipeline/ingest/index.js';
import type { Demand, IngestItem } from '../../pipeline/sources/types.js';
import { createXClient } from '../../pipeline/sources/x-client.js';
import { addRules } from '../../pipeline/sources/x-rules.js';
import { createXStream$, X_STALL_TIMEOUT_MS } from '../../pipeline/sources/x-stream.js';
import { createProducer, type TopicProducer } from '../../sinks/kafka/producer.js';
import { brokers, freshTopics, readAll, silentLogger, testKafka } from '../pipeline/ingest/kafka-helpers.js';
import { ManualScheduler } from '../pipeline/sources/manual-scheduler.js';
import { type FakeXServer, startFakeXServer } from '../support/fake-x-server.js';

let kafka: Kafka;
let producer: TopicProducer;
let server: FakeXServer;

function tweet(n: number): RawEnvelope {
  return {
    data: {
      id: String(1_810_000_000_000_000_000n + BigInt(n)),
      text: `$BTC stream tweet ${n} 🚀`,
      created_at: new Date(Date.UTC(2026, 2, 1, 9, 0, n)).toISOString(),
      author_id: '7',
    },
    includes: { users: [{ id: '7', username: 'hodler', public_metrics: { followers_count: 10 } }] },
  };
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

beforeAll(async () => {
  kafka = testKafka();
  producer = await createProducer(kafka, { brokers: brokers(), logger: silentLogger });
});
afterAll(async () => {
  await producer?.close();
});
beforeEach(async () => {
  server = await startFakeXServer();
  const client = createXClient({ bearerToken: 'test-token', apiUrl: server.url, ca: server.ca });
  await addRules(client, [{ value: '$BTC', tag: 'BTC' }]);
});
afterEach(async () => {
  await server.close();
});

describe('X stream -> Kafka through drops, errors and stalls (real broker)', () => {
  it('lands every tweet in tweets.raw exactly once across a mid-line drop, a 503, a stall and a 429', async () => {
    const topics = await freshTopics(kafka);
    const scheduler = new ManualScheduler();
    const client = createXClient({ bearerToken: 'test-token', apiUrl: server.url, ca: server.ca });
    // The 429 comes 25 s into the (virtual) run: 5 s of 503 back-off + the 20 s stall; reset 42 s after it.
    const reset = Math.floor(scheduler.now() / 1000) + 25 + 42;
    server.script(
      { type: 'drop-mid-line', afterLines: 5 },
      { type: 'status', status: 503, body: { title: 'Service Unavailable' } },
      { type: 'stall' },
      {
        type: 'status',
        status: 429,
        body: { title: 'Too Many Requests' },
        headers: {
          'x-rate-limit-limit': '50',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(reset),
        },
      },
    );
    for (let n = 1; n <= 10; n++) server.publish(tweet(n));

    let seen = 0;
    const controller = new AbortController();
    const source = (demand: Demand): Observable<IngestItem> =>
      createXStream$({ client, logger: silentLogger, scheduler, demand }).pipe(tap(() => (seen += 1)));
    const run = runIngest({ source, producer, topics, logger: silentLogger, signal: controller.signal });

    await scheduler.whenScheduled(0); // dropped mid-line: reconnect at once
    expect(seen).toBe(5);
    scheduler.advance(0);
    await scheduler.whenScheduled(5000); // 503: HTTP back-off starts at 5 s
    scheduler.advance(5000);
    await server.until((s) => s.connections.length === 3);
    scheduler.advance(X_STALL_TIMEOUT_MS); // stalled: nothing for 20 s
    await scheduler.whenScheduled(42_000); // 429 with x-rate-limit-reset 42 s ahead
    scheduler.advance(42_000);
    await server.until((s) => s.openStreams === 1 && s.connections.length === 5);
    for (let n = 11; n <= 30; n++) server.publish(tweet(n));
    await until(() => seen === 30, '30 tweets from the stream');

    controller.abort();
    const stats = await run;
    expect(stats.envelopes).toBe(30);
    expect(server.connections.map((c) => c.status)).toEqual([200, 503, 200, 429, 200]);

    const raw = await readAll(kafka, topics.raw);
    expect(raw.map((r) => r.key).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => tweet(i + 1).data.id).sort(),
    );
    const first = raw.find((r) => r.key === tweet(1).data.id)!;
    expect(first.timestamp).toBe(Date.UTC(2026, 2, 1, 9, 0, 1));
    expect(first.headers.source).toBe('x-stream');
    expect(JSON.parse(first.value!.toString('utf8')).matching_rules).toEqual([
      { id: server.rules[0]!.id, tag: 'BTC' },
    ]);
    expect(await readAll(kafka, topics.dlq)).toEqual([]);
  });
});
