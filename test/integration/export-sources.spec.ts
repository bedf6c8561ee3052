/**
 * export -> file -> ingest with a post of every source in tweets.raw (real Kafka): Jetstream events and
 * Mastodon statuses come back byte for byte, under the same key, timestamp and source header. X payloads
 * come back the same too, except that their source header reads `file` (an X payload's shape does not
 * tell the filtered stream from the search poller).
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { normalizeEnvelope } from '../../operators/index.js';
import { exportTopic } from '../../pipeline/ingest/export.js';
import { runIngest } from '../../pipeline/ingest/index.js';
import { classifyLine } from '../../pipeline/sources/classify-envelope.js';
import { createFileSource$ } from '../../pipeline/sources/file.js';
import type { OutgoingMessage } from '../../sinks/kafka/producer.js';
import {
  brokers,
  freshTopics,
  ingestFixture,
  readAll,
  silentLogger,
} from '../pipeline/ingest/kafka-helpers.js';

const fixture = (name: string): string[] =>
  readFileSync(new URL(`../fixtures/envelopes/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

const kafkaSetup = ingestFixture('export-sources-it-');

// What the ingest sources write, under the keys they give (post-key.ts).
function keyOf(payload: string): string {
  const item = classifyLine(payload, 'file', 'fixture');
  if (item.kind !== 'envelope') throw new Error(`fixture payload is not a post: ${item.detail}`);
  return item.key;
}

function messages(): OutgoingMessage[] {
  const [x] = fixture('valid.jsonl');
  const [post] = fixture('jetstream.jsonl');
  const [status, reblog] = fixture('mastodon.jsonl');
  // Escapes and raw non-ASCII as a source may send them: they must survive as bytes, not as meaning.
  const escaped = post!.replace('$BTC to the moon', '$BTC to the m\\u00f6\\u00f6n \\ud83d\\ude80 ü \\/');
  const at = (iso: string): number => Date.parse(iso);
  const m = (value: string, timestamp: number, source: string): OutgoingMessage => ({
    key: keyOf(value),
    value,
    timestamp,
    headers: { source, ingested_at: '2026-12-01T00:00:00.000Z' },
  });
  return [
    m(x!, at('2026-01-01T10:00:00.000Z'), 'x-stream'),
    m(escaped, at('2024-09-09T19:46:02.102Z'), 'bluesky'),
    m(status!, at('2024-09-09T19:46:02.000Z'), 'mastodon'),
    // A reblog is keyed by the reblogged status' text (as a retweet by its original's).
    m(reblog!, at('2024-09-09T20:00:00.000Z'), 'mastodon'),
  ];
}

describe('export -> file -> ingest across sources (real broker)', () => {
  it('keeps every payload byte for byte with its key, timestamp and source header', async () => {
    const { kafka, producer, dir } = kafkaSetup;
    const first = await freshTopics(kafka);
    const sent = messages();
    await producer.send(first.raw, sent);

    const exported = join(dir, 'sources.ndjson');
    const out = createWriteStream(exported);
    expect(await exportTopic(kafka, { topic: first.raw, brokers: brokers(), out })).toBe(sent.length);
    out.end();
    await finished(out);

    const second = await freshTopics(kafka);
    const stats = await runIngest({
      source: (demand) => createFileSource$({ path: exported, demand }),
      producer,
      topics: second,
      logger: silentLogger,
    });
    expect(stats).toMatchObject({ envelopes: sent.length, rejected: 0 });

    type Seen = {
      key: string | null;
      value: Buffer | null;
      timestamp: number;
      headers: Record<string, string>;
    };
    const shape = (r: Seen) => ({
      key: r.key,
      value: r.value?.toString('hex'),
      timestamp: r.timestamp,
      source: r.headers.source,
    });
    const byValue = (a: { value?: string }, b: { value?: string }) => (a.value! < b.value! ? -1 : 1);
    const before = (await readAll(kafka, first.raw)).map(shape).sort(byValue);
    const after = (await readAll(kafka, second.raw)).map(shape).sort(byValue);
    expect(before).toHaveLength(sent.length);
    expect(after).toEqual(before.map((r) => ({ ...r, source: r.source === 'x-stream' ? 'file' : r.source })));
    // And the replayed payloads normalize to the posts the originals did, each with its source.
    const sources = (await readAll(kafka, second.raw)).map((r) => {
      const t = normalizeEnvelope(r.value);
      return t.kind === 'tweet' ? t.source : t.reason;
    });
    expect(sources.sort()).toEqual(['bluesky', 'mastodon', 'mastodon', 'x']);
  });
});
