/**
 * Cross-posts across partitions (real Kafka): the same posts said on X, Bluesky and Mastodon, ingested
 * into a 4-partition tweets.raw, land with their copies in one partition (the key comes from the opening
 * words, post-key.ts), so the score half run per partition (as process and the backtest run it) keeps
 * the first copy of each and drops the others as near duplicates. Keyed by post id, as tweets.raw was
 * before, the same copies spread over the partitions and most of them count again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScoringModel } from '../../operators/index.js';
import { runIngest } from '../../pipeline/ingest/index.js';
import type { TopicRecord } from '../../pipeline/ingest/read-topic.js';
import { scoreChain } from '../../pipeline/runtime/chain.js';
import { createScoreTask } from '../../pipeline/runtime/score-task.js';
import { createFileSource$ } from '../../pipeline/sources/file.js';
import { freshTopics, ingestFixture, readAll, silentLogger } from '../pipeline/ingest/kafka-helpers.js';

const PARTITIONS = 4;
const T = Date.parse('2026-03-02T10:00:00.000Z');
const subjects = ['$BTC', '$ETH', '$SOL', 'Bitcoin', 'Ethereum', 'Solana'];
const moods = ['breaks out above', 'slips below', 'keeps grinding toward', 'bounces hard off'];
const words = `range support resistance volume funding traders whales miners shorts longs liquidity candles
  momentum breakout pullback weekend futures options basis premium sellers buyers exchanges stablecoins
  inflows outflows halving treasury macro yields dollar rally dump squeeze wick bottom ceiling floor target
  chart signal trend channel wedge flag pattern cycle season narrative upgrade network fees validators
  bridge custody listing index spot leverage rotation`.split(/\s+/);
// 24 posts, each with its own opening and two words no other post uses; each is said on all three
// networks by one person.
const said = subjects.flatMap((s, i) =>
  moods.map((m, j) => {
    const n = i * moods.length + j;
    const own = words.slice(n * 2, n * 2 + 2).join(' ');
    return `${s} ${m} the ${own}, watching closely`;
  }),
);

const iso = (ms: number) => new Date(ms).toISOString();

function copies(text: string, n: number): string[] {
  const at = T + n * 60_000;
  const x = {
    data: {
      id: String(1_900_000_000_000_000_000n + BigInt(n)),
      text,
      created_at: iso(at),
      author_id: `${n}`,
      lang: 'en',
    },
    includes: { users: [{ id: `${n}`, username: `u${n}`, created_at: '2020-01-01T00:00:00.000Z' }] },
  };
  const bluesky = {
    did: `did:plc:author${n}`,
    time_us: (at + 20_000) * 1000,
    kind: 'commit',
    commit: {
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: `3lcross${n}`,
      record: { text: `${text} https://example.com/chart/${n}`, createdAt: iso(at + 20_000), langs: ['en'] },
    },
  };
  const mastodon = {
    id: `${n}`,
    uri: `https://m.example/users/u${n}/statuses/${n}`,
    created_at: iso(at + 40_000),
    content: `<p>${text}</p><p><span class="h-card"><a href="https://m.example/@alice" class="u-url mention">@<span>alice</span></a></span></p>`,
    language: 'en',
    account: { url: `https://m.example/@u${n}`, acct: `u${n}`, created_at: '2020-01-01T00:00:00.000Z' },
  };
  return [x, bluesky, mastodon].map((p) => JSON.stringify(p));
}

/** The score half per partition, in offset order: what survives and what dedupe dropped. */
function scorePerPartition(records: readonly TopicRecord[]) {
  const model = createScoringModel();
  const kept: string[] = [];
  const nearDuplicates: string[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const task = createScoreTask(p, scoreChain, { model, filter: { minAccountAgeMs: 0 } });
    const inPartition = records
      .filter((r) => r.partition === p)
      .sort((a, b) => Number(a.offset) - Number(b.offset));
    for (const r of inPartition) {
      const { item } = task.push({ partition: p, offset: r.offset, value: r.value, timestamp: r.timestamp });
      if (item.kind === 'scored') kept.push(item.id);
      else if (item.reason === 'near_duplicate') nearDuplicates.push(item.tweetId ?? '');
    }
  }
  return { kept, nearDuplicates };
}

const kafkaSetup = ingestFixture('cross-posts-it-');

describe('cross-posts across tweets.raw partitions (real broker)', () => {
  it('lands every copy of a post in one partition, where dedupe keeps one and drops the others', async () => {
    const { kafka, producer, dir } = kafkaSetup;
    const topics = await freshTopics(kafka, PARTITIONS);
    const path = join(dir, 'cross-posts.ndjson');
    writeFileSync(path, `${said.flatMap((text, n) => copies(text, n)).join('\n')}\n`);
    const stats = await runIngest({
      source: (demand) => createFileSource$({ path, demand }),
      producer,
      topics,
      logger: silentLogger,
    });
    expect(stats).toMatchObject({ envelopes: 3 * said.length, rejected: 0 });

    const records = await readAll(kafka, topics.raw);
    expect(records).toHaveLength(3 * said.length);
    const partitionsOfPost = new Map<string, Set<number>>();
    for (const r of records) {
      const key = r.key ?? '';
      partitionsOfPost.set(key, (partitionsOfPost.get(key) ?? new Set()).add(r.partition));
    }
    // One key per post, shared by its three copies, each key in one partition; the posts spread out.
    expect(partitionsOfPost.size).toBe(said.length);
    expect([...partitionsOfPost.values()].every((ps) => ps.size === 1)).toBe(true);
    expect(new Set(records.map((r) => r.partition)).size).toBeGreaterThan(1);

    const { kept, nearDuplicates } = scorePerPartition(records);
    expect(kept).toHaveLength(said.length);
    expect(kept.every((id) => /^\d+$/.test(id))).toBe(true); // the X copy, said first, counts
    expect(nearDuplicates).toHaveLength(2 * said.length);
  });

  it('would count most copies again if they were keyed by post id (the control)', async () => {
    const { kafka, producer } = kafkaSetup;
    const topics = await freshTopics(kafka, PARTITIONS);
    const payloads = said.flatMap((text, n) => copies(text, n));
    await producer.send(
      topics.raw,
      payloads.map((value, i) => ({
        key: `post-${i}`,
        value,
        timestamp: T + i * 1000,
        headers: { source: 'file' },
      })),
    );
    const records = await readAll(kafka, topics.raw);
    const { kept } = scorePerPartition(records);
    expect(kept.length).toBeGreaterThan(said.length + said.length / 2);
  });
});
