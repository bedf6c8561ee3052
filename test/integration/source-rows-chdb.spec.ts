/**
 * Posts of every source through the score half into tweets and intake on current ClickHouse (chdb): each
 * row carries its source, TSV and JSON rows read back alike, and dlq_counts groups by source.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createScoringModel, type ScoredTweet } from '../../operators/index.js';
import { scoreChain } from '../../pipeline/runtime/chain.js';
import { intakeRecordOf } from '../../pipeline/runtime/output/collector.js';
import { INTAKE_COLUMNS, TWEET_COLUMNS } from '../../pipeline/runtime/output/formats.js';
import { intakeRow, tweetRows } from '../../pipeline/runtime/output/rows.js';
import { intakeRowTsv, tweetRowsTsv } from '../../pipeline/runtime/output/tsv-rows.js';
import { createScoreTask } from '../../pipeline/runtime/score-task.js';
import { loadChdb } from '../../scripts/chdb.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { migrate } from '../../sinks/clickhouse/migrations.js';
import { chdbClient } from '../pipeline/query/chdb-client.js';

const url = 'chdb://in-process';
const T = Date.UTC(2024, 8, 9, 20);
const { Session } = loadChdb();
const session = new Session();
const admin = chdbClient(session, 'default');
afterAll(() => session.cleanup());

const fixture = (name: string): string[] =>
  readFileSync(new URL(`../fixtures/envelopes/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

function output() {
  const [x] = fixture('valid.jsonl');
  const [post] = fixture('jetstream.jsonl');
  const [status] = fixture('mastodon.jsonl');
  const deleted = JSON.stringify({
    did: 'did:plc:eygmaihciaxprqvxpfvl6flk',
    time_us: 1,
    kind: 'commit',
    commit: { operation: 'delete', collection: 'app.bsky.feed.post', rkey: '3l3qo2vutsw2c' },
  });
  // The Mastodon status again, under another id: a cross-post the dedupe drops as a near duplicate.
  const copy = JSON.stringify({ ...JSON.parse(status!), uri: 'https://m.example/users/h/statuses/2' });
  const task = createScoreTask(0, scoreChain, {
    model: createScoringModel(),
    filter: { minAccountAgeMs: 0 },
  });
  const out = { scored: [] as ScoredTweet[], intake: [] as ReturnType<typeof intakeRecordOf>[] };
  // X last: its 2026 event time would put the 2024 posts behind the dedupe horizon.
  [post, status, deleted, copy, x, '{not json'].forEach((payload, n) => {
    const r = task.push({ partition: 0, offset: String(n), value: Buffer.from(payload!), timestamp: T });
    out.intake.push(intakeRecordOf(r));
    if (r.item.kind === 'scored') out.scored.push(r.item);
  });
  return out;
}

describe('rows of every source on current ClickHouse', () => {
  it('carry the source in tweets and intake, TSV and JSON alike', async () => {
    const tsv = chdbClient(session, 'src_tsv');
    const json = chdbClient(session, 'src_json');
    await migrate(admin.client, tsv.client, { url, database: 'src_tsv' });
    await migrate(admin.client, json.client, { url, database: 'src_json' });
    const out = output();
    expect(out.scored.map((t) => t.source)).toEqual(['bluesky', 'mastodon', 'x']);
    await session.queryAsync(
      `INSERT INTO src_tsv.tweets (${TWEET_COLUMNS.join(', ')}) FORMAT TabSeparated\n${out.scored.map((t) => tweetRowsTsv(t)).join('')}`,
    );
    await session.queryAsync(
      `INSERT INTO src_tsv.intake (${INTAKE_COLUMNS.join(', ')}) FORMAT TabSeparated\n${out.intake.map((r) => intakeRowTsv('raw', r)).join('')}`,
    );
    await insertRows(json.client, 'tweets', out.scored.flatMap(tweetRows), { url });
    await insertRows(
      json.client,
      'intake',
      out.intake.map((r) => intakeRow('raw', r)),
      { url },
    );

    for (const db of [tsv, json]) {
      expect(await db.select('SELECT DISTINCT source FROM tweets ORDER BY source')).toEqual([
        { source: 'bluesky' },
        { source: 'mastodon' },
        { source: 'x' },
      ]);
      expect(
        await db.select(
          'SELECT toUInt32(offset) AS offset, outcome, stage, reason, source FROM intake ORDER BY offset',
        ),
      ).toEqual([
        { offset: 0, outcome: 'stored', stage: '', reason: '', source: 'bluesky' },
        { offset: 1, outcome: 'stored', stage: '', reason: '', source: 'mastodon' },
        { offset: 2, outcome: 'rejected', stage: 'normalize', reason: 'deleted_post', source: 'bluesky' },
        { offset: 3, outcome: 'dropped', stage: 'dedupe', reason: 'near_duplicate', source: 'mastodon' },
        { offset: 4, outcome: 'stored', stage: '', reason: '', source: 'x' },
        { offset: 5, outcome: 'rejected', stage: 'normalize', reason: 'invalid_json', source: '' },
      ]);
      expect(
        await db.select(
          'SELECT source, stage, reason, toUInt32(sum(messages)) AS n FROM dlq_counts GROUP BY source, stage, reason ORDER BY source, reason',
        ),
      ).toEqual([
        { source: '', stage: 'normalize', reason: 'invalid_json', n: 1 },
        { source: 'bluesky', stage: 'normalize', reason: 'deleted_post', n: 1 },
        { source: 'mastodon', stage: 'dedupe', reason: 'near_duplicate', n: 1 },
      ]);
    }
    const a = await tsv.select('SELECT * FROM tweets ORDER BY tweet_id, symbol');
    expect(a).toEqual(await json.select('SELECT * FROM tweets ORDER BY tweet_id, symbol'));
  });
});
