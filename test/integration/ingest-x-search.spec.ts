import type { Kafka } from 'kafkajs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type IngestTopics, runIngest } from '../../pipeline/ingest/index.js';
import { loadState } from '../../pipeline/ingest/read-topic.js';
import type { Demand } from '../../pipeline/sources/types.js';
import { createXClient } from '../../pipeline/sources/x-client.js';
import { createXSearch$, searchStateKey } from '../../pipeline/sources/x-search.js';
import { createProducer, type TopicProducer } from '../../sinks/kafka/producer.js';
import { brokers, freshTopics, readAll, silentLogger, testKafka } from '../pipeline/ingest/kafka-helpers.js';
import { ManualScheduler } from '../pipeline/sources/manual-scheduler.js';
import { type FakeXServer, type SearchTweet, startFakeXServer } from '../support/fake-x-server.js';

const QUERY = '($ETH OR ethereum) -is:retweet';
let kafka: Kafka;
let producer: TopicProducer;
let server: FakeXServer;

function hit(n: number): SearchTweet {
  return {
    data: {
      id: String(1_840_000_000_000_000_000n + BigInt(n)),
      text: `$ETH search ${n}`,
      created_at: new Date(Date.UTC(2026, 3, 1, 8, 0, n)).toISOString(),
      author_id: '9',
    },
    author: { id: '9', username: 'vb' },
  };
}

/** One ingest run of the poller, stopped like a SIGINT as soon as its first cycle is done. */
async function runOneCycle(topics: IngestTopics): Promise<void> {
  const state = await loadState(kafka, { topic: topics.state, brokers: brokers() });
  const stored = state.get(searchStateKey(QUERY));
  const sinceId = stored === undefined ? null : (JSON.parse(stored) as { sinceId: string }).sinceId;
  const client = createXClient({ bearerToken: 'test-token', apiUrl: server.url, ca: server.ca });
  const controller = new AbortController();
  const scheduler = new ManualScheduler();
  const intervalMs = 60_000;
  const source = (demand: Demand) =>
    createXSearch$({
      client,
      logger: silentLogger,
      query: QUERY,
      sinceId,
      maxResults: 10,
      intervalMs,
      scheduler,
      demand,
    });
  const run = runIngest({ source, producer, topics, logger: silentLogger, signal: controller.signal });
  // The poller waits for the next interval only after the cycle (and its checkpoint) was emitted.
  await scheduler.whenScheduled(intervalMs, 15_000);
  controller.abort();
  await run;
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
});
afterEach(async () => {
  await server.close();
});

describe('x-search -> Kafka with since_id kept in the state topic (real broker)', () => {
  it('a restart resumes from the stored since_id: nothing fetched twice, nothing skipped', async () => {
    const topics = await freshTopics(kafka);
    // First run ever: without stored state the poller takes only the newest page (10 of 25).
    server.addSearchTweets(...Array.from({ length: 25 }, (_, i) => hit(i + 1)));
    await runOneCycle(topics);
    expect(server.searchRequests.map((q) => q.get('since_id'))).toEqual([null]);

    // Restart: resumes after hit 25; 12 new tweets need two pages.
    server.addSearchTweets(...Array.from({ length: 12 }, (_, i) => hit(26 + i)));
    await runOneCycle(topics);
    expect(server.searchRequests.slice(1).map((q) => [q.get('since_id'), q.get('next_token')])).toEqual([
      [hit(25).data.id, null],
      [hit(25).data.id, 't10'],
    ]);

    // Another restart with nothing new: one request, nothing written.
    await runOneCycle(topics);
    expect(server.searchRequests.map((q) => q.get('since_id')).at(-1)).toBe(hit(37).data.id);
    const raw = await readAll(kafka, topics.raw);
    const keys = raw.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(
      [
        ...Array.from({ length: 10 }, (_, i) => hit(16 + i).data.id),
        ...Array.from({ length: 12 }, (_, i) => hit(26 + i).data.id),
      ].sort(),
    );
    expect(raw.every((r) => r.headers.source === 'x-search')).toBe(true);
    const state = await loadState(kafka, { topic: topics.state, brokers: brokers() });
    expect(JSON.parse(state.get(searchStateKey(QUERY))!)).toEqual({ sinceId: hit(37).data.id });
  });
});
