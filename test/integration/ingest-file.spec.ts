import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { exportTopic } from '../../pipeline/ingest/export.js';
import { runIngest } from '../../pipeline/ingest/index.js';
import { createFileSource$ } from '../../pipeline/sources/file.js';
import { postKey } from '../../pipeline/sources/post-key.js';
import {
  brokers,
  freshTopics,
  ingestFixture,
  readAll,
  silentLogger,
} from '../pipeline/ingest/kafka-helpers.js';

function envelopeLine(n: number): string {
  const second = String(n % 60).padStart(2, '0');
  const minute = String(Math.floor(n / 60) % 60).padStart(2, '0');
  return JSON.stringify({
    data: {
      id: String(1_790_000_000_000_000_000n + BigInt(n)),
      text: `$BTC line n${n} — "quoted" ünïcødé 🚀`,
      created_at: `2026-02-01T10:${minute}:${second}.000Z`,
      author_id: String(n % 97),
    },
    includes: {
      users: [{ id: String(n % 97), username: `u${n % 97}`, public_metrics: { followers_count: n } }],
    },
    matching_rules: [{ id: '1', tag: 'BTC' }],
  });
}

const kafkaSetup = ingestFixture('ingest-file-it-');

describe('file source -> Kafka (real broker)', () => {
  it('writes every good line to tweets.raw keyed and timestamped, and every broken one to the DLQ with its line number', async () => {
    const { kafka, producer, dir } = kafkaSetup;
    const topics = await freshTopics(kafka);
    const broken = new Map<number, string>([
      [10, '{"data":{"id":"1","text":"cut'],
      [2000, '{"data":{"text":"no id"}}'],
      [3999, 'garbage'],
    ]);
    const lines = Array.from({ length: 4000 }, (_, i) => broken.get(i + 1) ?? envelopeLine(i + 1));
    const path = join(dir, 'input.ndjson');
    writeFileSync(path, `${lines.join('\n')}\n`);

    const stats = await runIngest({
      source: (demand) => createFileSource$({ path, demand }),
      producer,
      topics,
      logger: silentLogger,
    });
    expect(stats).toMatchObject({ envelopes: 3997, rejected: 3 });

    const raw = await readAll(kafka, topics.raw);
    expect(raw).toHaveLength(3997);
    // Keyed by their opening words (post-key.ts), which differ line by line here.
    expect(new Set(raw.map((r) => r.key)).size).toBe(3997);
    const sample = raw.find((r) => r.value?.toString('utf8') === envelopeLine(1))!;
    expect(sample.key).toBe(postKey(JSON.parse(envelopeLine(1)).data.text, '1790000000000000001'));
    expect(sample.key).not.toBe('1790000000000000001');
    expect(sample.timestamp).toBe(Date.parse('2026-02-01T10:00:01.000Z'));
    expect(sample.headers).toMatchObject({ source: 'file' });
    expect(Date.parse(sample.headers.ingested_at!)).toBeGreaterThan(Date.parse('2026-01-01'));

    const dlq = await readAll(kafka, topics.dlq);
    expect(dlq.map((r) => [r.headers.reason, r.headers.detail?.match(/:(\d+):/)?.[1]])).toEqual([
      ['invalid_json', '10'],
      ['missing_id', '2000'],
      ['invalid_json', '3999'],
    ]);
    expect(dlq[2]!.value?.toString()).toBe('garbage');
  });

  it('export -> file -> ingest round trip is lossless (keys, values, timestamps)', async () => {
    const { kafka, producer, dir } = kafkaSetup;
    const first = await freshTopics(kafka);
    const path = join(dir, 'round-trip-input.ndjson');
    writeFileSync(path, Array.from({ length: 3000 }, (_, i) => envelopeLine(i + 1)).join('\n'));
    await runIngest({
      source: (demand) => createFileSource$({ path, demand }),
      producer,
      topics: first,
      logger: silentLogger,
    });

    // Export a window: minutes 10..30 of the hour (created_at drives the Kafka timestamp).
    const fromMs = Date.parse('2026-02-01T10:10:00.000Z');
    const toMs = Date.parse('2026-02-01T10:30:00.000Z');
    const exported = join(dir, 'exported.ndjson');
    const out = createWriteStream(exported);
    const count = await exportTopic(kafka, { topic: first.raw, brokers: brokers(), fromMs, toMs, out });
    out.end();
    await finished(out);
    // Lines n with minute(n) in [10, 30): n in [600, 1800) ∪ [4200, ...) -> 1200 lines for 1..3000.
    expect(count).toBe(1200);
    expect(readFileSync(exported, 'utf8').trim().split('\n')).toHaveLength(1200);

    const second = await freshTopics(kafka);
    await runIngest({
      source: (demand) => createFileSource$({ path: exported, demand }),
      producer,
      topics: second,
      logger: silentLogger,
    });

    const shape = (r: { key: string | null; value: Buffer | null; timestamp: number }) =>
      `${r.key}|${r.timestamp}|${r.value?.toString('utf8')}`;
    const expected = (await readAll(kafka, first.raw))
      .filter((r) => r.timestamp >= fromMs && r.timestamp < toMs)
      .map(shape)
      .sort();
    const actual = (await readAll(kafka, second.raw)).map(shape).sort();
    expect(actual).toHaveLength(1200);
    expect(actual).toEqual(expected);
  });
});
