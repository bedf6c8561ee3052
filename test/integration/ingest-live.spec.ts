/**
 * `sentiflow ingest --source bluesky | mastodon:<instance>` in-process against fake servers and a real
 * broker: rules applied at ingest, bad messages to the DLQ, the position stored in the state topic and a
 * restart resuming from it with no loss and no duplicate in tweets.raw.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIngestCommand } from '../../pipeline/commands/ingest.js';
import { ConfigSchema } from '../../pipeline/config.js';
import type { IngestTopics } from '../../pipeline/ingest/index.js';
import { loadState } from '../../pipeline/ingest/read-topic.js';
import { parseCursorState } from '../../pipeline/sources/jetstream-cursor.js';
import { brokers, freshTopics, readAll, testKafka, untilCount } from '../pipeline/ingest/kafka-helpers.js';
import { type FakeJetstream, postEvent, startFakeJetstream } from '../support/fake-jetstream.js';
import { type FakeMastodon, fakeStatus, startFakeMastodon } from '../support/fake-mastodon.js';

let kafka: Kafka;
let server: FakeJetstream;
let mastodon: FakeMastodon;
let dir: string;

beforeAll(() => {
  kafka = testKafka();
  dir = mkdtempSync(join(tmpdir(), 'ingest-bluesky-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  server = await startFakeJetstream();
  mastodon = await startFakeMastodon({ token: 'mastodon-test-token' });
});
afterEach(async () => {
  await server.close();
  await mastodon.close();
});

interface Run {
  readonly stop: () => Promise<void>;
  readonly log: string[];
}

/** Starts the ingest command; `stop()` sends it SIGTERM and waits for it to finish. */
function ingest(topics: IngestTopics, source: string, sections: Record<string, unknown>): Run {
  const log: string[] = [];
  const config = ConfigSchema.parse({
    kafka: { brokers: brokers().join(','), retryDeadlineMs: 10_000 },
    topics: { tweetsRaw: topics.raw, tweetsDlq: topics.dlq, partitions: 3 },
    metrics: { port: 0 },
    ...sections,
  });
  const logger = pino({ level: 'info' }, { write: (line: string) => void log.push(line) });
  const signals = new EventEmitter();
  const command = createIngestCommand({
    context: () => ({ config, logger }),
    signals: signals as unknown as Pick<NodeJS.Process, 'once' | 'off'>,
  });
  const done = command.parseAsync(['--source', source, '--state-topic', topics.state], { from: 'user' });
  return {
    log,
    stop: async () => {
      signals.emit('SIGTERM');
      await done;
    },
  };
}

const T0 = 1_760_000_000_000_000;
/** One post a second of time_us. */
const post = (n: number, text: string) => postEvent(n, text, { timeUs: T0 + n * 1_000_000 });
const uri = (n: number) =>
  `at://did:plc:author${n % 7}/app.bsky.feed.post/3lpost${String(n).padStart(6, '0')}`;

describe('ingest --source bluesky (real broker)', () => {
  it('resumes after a restart from the stored cursor minus the margin: nothing lost, nothing twice', async () => {
    const topics = await freshTopics(kafka);
    const rulesFile = join(dir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify([{ value: '$BTC OR bitcoin', tag: 'BTC' }]));

    const bluesky = {
      bluesky: { hosts: [server.url], rulesFile, cursorMarginMs: 2_000, maxMessageBytes: 4096 },
    };
    const first = ingest(topics, 'bluesky', bluesky);
    await server.until((s) => s.openSockets === 1, 30_000);
    server.publish(post(1, '$BTC 1'));
    server.publish('{"kind": "commit", "did": ', T0 + 1_000_001);
    server.publish(post(2, `$BTC ${'x'.repeat(5000)}`));
    server.publish({ did: 'did:plc:x', time_us: T0 + 2_500_000, kind: 'identity', identity: {} });
    for (let n = 3; n <= 10; n++) server.publish(post(n, n % 3 === 0 ? `cats ${n}` : `$BTC ${n}`));
    await untilCount(kafka, topics.raw, 6);
    await untilCount(kafka, topics.dlq, 2);
    await first.stop();
    expect(finished(first.log)).toMatchObject({
      envelopes: 6,
      rejected: 2,
      received: { matched: 6, unmatched: 3, identity: 1, rejected: 2 },
    });
    const state = await loadState(kafka, { topic: topics.state, brokers: brokers() });
    expect(parseCursorState(state.get('bluesky')!).cursor).toBe(T0 + 10_000_000);

    // Posted while ingest was down, then a restart: Jetstream replays from 2 s before the cursor.
    for (let n = 11; n <= 14; n++) server.publish(post(n, `bitcoin ${n}`));
    const second = ingest(topics, 'bluesky', bluesky);
    await server.until((s) => s.connections.length === 2 && s.openSockets === 1, 30_000);
    for (let n = 15; n <= 16; n++) server.publish(post(n, `$BTC ${n}`));
    await untilCount(kafka, topics.raw, 12);
    await second.stop();
    expect(server.connections[1]!.cursor).toBe(String(T0 + 8_000_000));
    expect(finished(second.log).received).toEqual({ repeat: 2, unmatched: 1, matched: 6 });

    const raw = await readAll(kafka, topics.raw);
    const expected = [1, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15, 16].map(uri);
    expect(raw.map((r) => r.key).sort()).toEqual(expected.sort());
    const one = raw.find((r) => r.key === uri(1))!;
    expect(one.value!.toString('utf8')).toBe(JSON.stringify(post(1, '$BTC 1')));
    expect(one.headers.source).toBe('bluesky');
    expect(one.timestamp).toBe(Math.floor((T0 + 1_000_000) / 1000));
    const dlq = await readAll(kafka, topics.dlq);
    expect(dlq.map((r) => r.headers.reason).sort()).toEqual(['invalid_json', 'oversized']);
    expect(dlq.every((r) => r.headers.source === 'bluesky' && r.headers.stage === 'ingest')).toBe(true);
  });
});

describe('ingest --source mastodon:<instance> (real broker)', () => {
  it('catches up after a restart through the timeline with the stored since_id', async () => {
    const topics = await freshTopics(kafka);
    const sections = { mastodon: { token: 'mastodon-test-token', tags: ['btc', 'eth'] } };
    const first = ingest(topics, `mastodon:${mastodon.url}`, sections);
    // Per tag: the newest id now, an empty catch-up, the stream.
    await mastodon.until((s) => s.openStreams === 2 && s.timelineRequests.length === 4, 30_000);
    mastodon.publish(fakeStatus(1, 'sats', ['btc']));
    mastodon.publish(fakeStatus(2, 'both', ['btc', 'eth'])); // on both streams: written once
    mastodon.publish(fakeStatus(3, 'gas', ['eth']));
    mastodon.send('delete', fakeStatus(1, '').id);
    await untilCount(kafka, topics.raw, 3);
    await first.stop();
    expect(finished(first.log).received).toMatchObject({ matched: 3, repeat: 1, status_delete: 2 });

    // While ingest is down: five more statuses; the restart fetches them with since_id.
    for (let n = 4; n <= 8; n++) mastodon.publish(fakeStatus(n, `gap ${n}`, [n % 2 === 0 ? 'btc' : 'eth']));
    const second = ingest(topics, `mastodon:${mastodon.url}`, sections);
    await untilCount(kafka, topics.raw, 8);
    await second.stop();
    const sinceIds = mastodon.timelineRequests.slice(4).map((q) => q.get('since_id'));
    expect(sinceIds.sort()).toEqual([fakeStatus(2, '').id, fakeStatus(3, '').id]); // btc, eth
    const raw = await readAll(kafka, topics.raw);
    expect(raw.map((r) => r.key).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => fakeStatus(i + 1, '').uri).sort(),
    );
    expect(raw.every((r) => r.headers.source === 'mastodon')).toBe(true);
    expect(first.log.join('') + second.log.join('')).not.toContain('mastodon-test-token');
  });
});

function finished(log: readonly string[]): {
  envelopes: number;
  rejected: number;
  received: Record<string, number>;
} {
  const line = log.find((l) => l.includes('"ingest finished"'));
  if (line === undefined) throw new Error(`no "ingest finished" line in ${log.join('')}`);
  return JSON.parse(line);
}
