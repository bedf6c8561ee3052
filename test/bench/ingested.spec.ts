import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestedMessage, partitionOf } from '../../bench/ingested.js';
import { runIngest } from '../../pipeline/ingest/index.js';
import { createFileSource$ } from '../../pipeline/sources/file.js';
import { generateEnvelopes } from '../../pipeline/sources/synthetic.js';
import type { OutgoingMessage, TopicProducer } from '../../sinks/kafka/producer.js';

const topics = { raw: 'tweets.raw', dlq: 'tweets.dlq', state: 'ingest.state' };

describe('bench ingestedMessage', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('is the tweets.raw message ingest writes for the same envelope: key, value, timestamp, headers', async () => {
    // The synthetic mix has retweets (keyed by the original's text), spam waves and short texts
    // (keyed by id): each kind of key is among these.
    const envelopes = [...generateEnvelopes({ seed: 3, count: 2_000 })];
    dir = mkdtempSync(join(tmpdir(), 'ingested-'));
    const path = join(dir, 'tweets.ndjson');
    writeFileSync(path, `${envelopes.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const written: OutgoingMessage[] = [];
    const producer: TopicProducer = {
      async send(topic, messages) {
        if (topic === topics.raw) written.push(...messages);
      },
      async flush() {},
      async close() {},
    };
    await runIngest({
      source: (demand) => createFileSource$({ path, demand }),
      producer,
      topics,
      logger: pino({ level: 'silent' }),
      now: () => 42,
    });

    expect(written).toEqual(envelopes.map((e) => ingestedMessage(e, 42, 'file')));
    // Not the post id for every message: copies of a post share the key of its opening words.
    expect(written.filter((m, i) => m.key !== envelopes[i]!.data.id).length).toBeGreaterThan(100);
  });

  it('places a key on the partition the producers here send it to, the same for the same key', () => {
    const spread = [0, 0, 0];
    for (let i = 0; i < 3_000; i++) spread[partitionOf(`key-${i}`, 3)]!++;
    for (const n of spread) expect(n).toBeGreaterThan(800);
    expect(partitionOf('a key', 3)).toBe(partitionOf('a key', 3));
    expect(partitionOf('a key', 1)).toBe(0);
  });
});
