/**
 * Current ClickHouse (26.x through chdb) reads the process's TSV rows (tsv-rows.ts) as exactly the
 * values it reads from rows.ts's JSONEachRow rows: same tweets and intake tables, awkward text included.
 * (18.16 is covered by process-threads.spec.ts, which writes TSV there and compares with JSON.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createScoringModel, type ScoredTweet } from '../../operators/index.js';
import { scoreChain } from '../../pipeline/runtime/chain.js';
import { intakeRecordOf } from '../../pipeline/runtime/output/collector.js';
import { intakeRow, tweetRows } from '../../pipeline/runtime/output/rows.js';
import {
  INTAKE_COLUMNS,
  intakeRowTsv,
  TWEET_COLUMNS,
  tweetRowsTsv,
} from '../../pipeline/runtime/output/tsv-rows.js';
import { createScoreTask } from '../../pipeline/runtime/score-task.js';
import { generateEnvelopes } from '../../pipeline/sources/synthetic.js';
import { loadChdb } from '../../scripts/chdb.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { migrate } from '../../sinks/clickhouse/migrations.js';
import { chdbClient } from '../pipeline/query/chdb-client.js';

const url = 'chdb://in-process';
const { Session } = loadChdb();
const session = new Session();
const admin = chdbClient(session, 'default');

afterAll(() => {
  session.cleanup();
});

function output() {
  const task = createScoreTask(0, scoreChain, { model: createScoringModel() });
  const out = { scored: [] as ScoredTweet[], intake: [] as ReturnType<typeof intakeRecordOf>[] };
  const extras = [' tab\there', ' line\nbreak', ' back\\slash', " it's", ' cr\rhere', ' 🚀'];
  let n = 0;
  for (const e of generateEnvelopes({ seed: 3, count: 600, startTime: Date.UTC(2026, 0, 1) })) {
    n++;
    const tagged = {
      ...e,
      data: { ...e.data, text: `${e.data.text ?? ''}${extras[n % extras.length]}` },
      ...(e.matching_rules
        ? { matching_rules: e.matching_rules.map((r) => ({ ...r, tag: `it's\t[${n}]` })) }
        : {}),
    };
    const r = task.push({
      partition: 0,
      offset: String(n),
      value: Buffer.from(JSON.stringify(tagged)),
      timestamp: 0,
    });
    out.intake.push(intakeRecordOf(r));
    if (r.item.kind === 'scored') out.scored.push(r.item);
  }
  return out;
}

describe('TSV rows on current ClickHouse', () => {
  it('read back as the JSON rows do', async () => {
    const tsv = chdbClient(session, 'tsv_rows');
    const json = chdbClient(session, 'json_rows');
    await migrate(admin.client, tsv.client, { url, database: 'tsv_rows' });
    await migrate(admin.client, json.client, { url, database: 'json_rows' });
    const out = output();
    expect(out.scored.length).toBeGreaterThan(100);

    const tweets = out.scored.map((t) => tweetRowsTsv(t));
    const intake = out.intake.map((r) => intakeRowTsv('raw', r));
    expect(tweets.every((t) => t !== null) && intake.every((r) => r !== null)).toBe(true);
    await session.queryAsync(
      `INSERT INTO tsv_rows.tweets (${TWEET_COLUMNS.join(', ')}) FORMAT TabSeparated\n${tweets.join('')}`,
    );
    await session.queryAsync(
      `INSERT INTO tsv_rows.intake (${INTAKE_COLUMNS.join(', ')}) FORMAT TabSeparated\n${intake.join('')}`,
    );
    await insertRows(json.client, 'tweets', out.scored.flatMap(tweetRows), { url });
    await insertRows(
      json.client,
      'intake',
      out.intake.map((r) => intakeRow('raw', r)),
      { url },
    );

    for (const [table, order] of [
      ['tweets', 'symbol, created_at, tweet_id'],
      ['intake', 'partition, offset'],
    ] as const) {
      const a = await tsv.select(`SELECT * FROM ${table} ORDER BY ${order}`);
      const b = await json.select(`SELECT * FROM ${table} ORDER BY ${order}`);
      expect(a.length).toBeGreaterThan(100);
      expect(a).toEqual(b);
    }
  });
});
