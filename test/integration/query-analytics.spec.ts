/**
 * `sentiflow query` against the real ClickHouse 18.16 of the global setup: every query over a known
 * data set, through its function and through the command (createQueryCommand().parseAsync), the
 * three output formats, empty results, and injection attempts refused before any SQL runs.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, describeError, RejectedError } from '../../lib/errors.js';
import { main } from '../../pipeline/cli.js';
import { createQueryCommand } from '../../pipeline/commands/query.js';
import { formatJsonLines } from '../../pipeline/query/format.js';
import { clickHouseSelect } from '../../pipeline/query/select.js';
import { createClickHouse } from '../../sinks/clickhouse/client.js';
import { insertRows } from '../../sinks/clickhouse/insert.js';
import { FIXTURE_CHECKS, runFixtureQuery } from '../pipeline/query/analytics-checks.js';
import { FROM, H1, SOURCE_ROWS, TABLE_ROWS, TO } from '../pipeline/query/analytics-fixture.js';
import { docsSqlExamples } from '../pipeline/query/docs-sql.js';
import { testDatabase } from '../support/test-database.js';

const db = testDatabase('it_query');
const { admin, client, url, name: database } = db;
const connection = { url, user: db.user, password: db.password, database };
const select = clickHouseSelect(client, { url, doing: 'test' });

beforeAll(async () => {
  await db.migrate();
  for (const [table, rows] of Object.entries(TABLE_ROWS)) await insertRows(client, table, rows, { url });
  for (const [table, rows] of Object.entries(SOURCE_ROWS)) await insertRows(client, table, rows, { url });
});

afterAll(() => db.drop());

function sink(isTTY = false): { stream: Writable & { isTTY: boolean }; text: () => string } {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => text };
}

/** Runs `sentiflow query ...` through the command object, as the CLI will once it is mounted. */
async function query(args: string[], isTTY = false): Promise<{ stdout: string; stderr: string }> {
  const stdout = sink(isTTY);
  const stderr = sink();
  const command = createQueryCommand({
    clickhouse: connection,
    stdout: stdout.stream,
    stderr: stderr.stream,
    now: () => H1 + 86_400_000,
  });
  await command.parseAsync(args, { from: 'user' });
  return { stdout: stdout.text(), stderr: stderr.text() };
}

describe('analytics queries on ClickHouse 18.16', () => {
  it.each(FIXTURE_CHECKS)('$name', ({ run }) => run(select));

  it.each(docsSqlExamples())('docs/analytics.md example runs: $title', async ({ sql }) => {
    expect((await select(sql)).length).toBeGreaterThan(0);
  });
});

describe('sentiflow query through the command', () => {
  it.each([
    ['hourly', '--symbol', 'BTC'],
    ['metrics', '--symbol', 'BTC'],
    ['compare'],
    ['rules', '--symbols', 'BTC,ETH'],
    ['authors', '--symbol', 'ETH'],
    ['drops'],
    ['signals'],
    ['accounting'],
  ])('%s prints what its function returns', async (name, ...flags) => {
    const { stdout } = await query([name, '--from', FROM, '--to', TO, ...flags]);
    const flagObject = Object.fromEntries(flags.length ? [[flags[0]?.slice(2), flags[1]]] : []);
    const direct = await runFixtureQuery(select, name as Parameters<typeof runFixtureQuery>[1], flagObject);
    expect(direct.rows.length).toBeGreaterThan(0);
    expect(stdout).toBe(formatJsonLines(direct));
  });

  it('prints JSON lines when stdout is not a terminal', async () => {
    const { stdout } = await query(['hourly', '--symbol', 'btc', '--from', FROM, '--to', TO]);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ hour: '2024-05-01T10:00:00.000Z', tweets: 3, weighted_mean: 0.3 });
  });

  it('prints an aligned table on a terminal, with the range and the row count', async () => {
    const { stdout } = await query(['hourly', '--symbol', 'BTC', '--from', FROM, '--to', TO], true);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'hourly sentiment of BTC (closed buckets), 2024-05-01 10:00 .. 2024-05-01 12:00 UTC',
    );
    expect(lines[1]).toMatch(/^hour +tweets +mean +weighted +pos +neg +neutral +authors$/);
    expect(lines[3]).toMatch(/^2024-05-01 10:00 +3 +0\.2000 +0\.3000 +2 +1 +0 +3$/);
    expect(lines.at(-1)).toBe('(2 rows)');
    expect(new Set(lines.slice(1, 5).map((l) => l.length)).size).toBe(1);
  });

  it('prints the drop totals after the hours, whatever the limit', async () => {
    const { stdout } = await query(['drops', '--from', FROM, '--to', TO, '--limit', '2'], true);
    expect(stdout).toMatch(/^2024-05-01 10:00 +dropped +dedupe +duplicate_id +1$/m);
    expect(stdout).not.toMatch(/^2024-05-01 11:00/m);
    expect(stdout).toMatch(/^total +dropped +filter +language +2$/m);
    expect(stdout).toMatch(/^total +all +4$/m);
    expect(stdout).toContain('4 messages dropped or rejected in the range: 3 dropped, 1 rejected');
  });

  it('prints social metrics with dominance and balance', async () => {
    const { stdout } = await query(['metrics', '--from', FROM, '--to', TO], true);
    expect(stdout).toMatch(/^hour +symbol +volume +authors +dominance +balance +pos +neg +sentiment$/m);
    expect(stdout).toMatch(/^2024-05-01 10:00 +ETH +5 +5 +0\.6250 +3 +4 +1 +0\.5000$/m);
  });

  it('prints CSV with a header', async () => {
    const { stdout } = await query([
      'authors',
      '--format',
      'csv',
      '--from',
      FROM,
      '--to',
      TO,
      '--limit',
      '1',
    ]);
    expect(stdout).toBe(
      'author_id,author_username,tweets,weight_sum,score_mean,weighted_mean\r\na1,user_a1,2,3,0.75,0.6666666666666666\r\n',
    );
  });

  it('prints the accounting equation after the table', async () => {
    const { stdout } = await query(['accounting', '--from', FROM, '--to', TO], true);
    expect(stdout).toMatch(/^total +9 +5 +3 +1 +yes /m);
    expect(stdout).toContain(
      'consumed = stored + dropped + rejected: 9 = 5 + 3 + 1 holds for the total and every hour',
    );
  });

  it('says "no rows" and succeeds when nothing is in range', async () => {
    const table = await query(['compare', '--from', '2020-01-01', '--to', '2020-01-02'], true);
    expect(table.stdout).toMatch(
      /^no rows: weighted sentiment and volume per hour, all symbols, 2020-01-01 00:00/,
    );
    const json = await query(['signals', '--from', '2020-01-01', '--to', '2020-01-02']);
    expect(json.stdout).toBe('');
    expect(json.stderr).toMatch(/^no rows: latest decisions/);
  });

  it.each([
    [
      ['hourly', '--symbol', "BTC'; DROP TABLE tweets --"],
      '--symbol: "BTC\'; DROP TABLE tweets --" is not a symbol',
    ],
    [['compare', '--symbols', "BTC,ETH') OR 1=1 --"], 'is not a symbol'],
    [['rules', '--from', "2024-01-01' OR '1'='1"], "--from: \"2024-01-01' OR '1'='1\" is not a time"],
    [
      ['authors', '--limit', '10; DROP TABLE tweets'],
      '--limit: "10; DROP TABLE tweets" is not a whole number',
    ],
    [['hourly', '--symbol', 'PEPE'], 'unknown symbol PEPE (known: ADA, BTC, DOGE, ETH, SOL, XRP)'],
    [['hourly'], 'query hourly: needs exactly one symbol'],
    [['drops', '--symbol', 'BTC'], 'query drops: covers all symbols'],
    [['tweets; DROP TABLE tweets'], 'query: unknown query "tweets; DROP TABLE tweets"'],
    [['hourly', '--symbol', 'BTC', '--format', 'xml'], '--format: "xml" is not one of table, json, csv'],
    [['rules', '--from', TO, '--to', FROM], '--from must be before --to'],
    [['hourly', '--symbol', 'BTC', '--source', "x' OR 1=1"], '--source: "x\' OR 1=1" is not a source'],
    [['metrics', '--source', 'bluesky'], 'query metrics: reads the hourly buckets, which mix every source'],
  ])('refuses %j with one line and leaves the tables alone', async (args, message) => {
    const error = await query(args).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(describeError(error)).toContain(message);
    expect(describeError(error)).not.toContain('\n');
    const [row] = await select('SELECT count() AS n FROM tweets FINAL');
    expect(Number(row?.n)).toBe(5 + (SOURCE_ROWS.tweets?.length ?? 0));
  });

  it('refuses bad input as one line and exit code 2 from the sentiflow program too', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['node', 'sentiflow', 'query', 'hourly', '--symbol', "x'\n--"])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(lines.join('')).toBe(
      'sentiflow: --symbol: "x\'\\n--" is not a symbol (2-10 letters or digits, e.g. BTC)\n',
    );
  });

  it('tells the user to migrate when the tables are missing', async () => {
    const empty = `${database}_empty`;
    await admin.command({ query: `CREATE DATABASE ${empty}` });
    const bare = createClickHouse({ ...connection, database: empty });
    try {
      const error = await clickHouseSelect(bare, { url, doing: 'query hourly' })(
        'SELECT * FROM sentiment_hourly',
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RejectedError);
      // describeError appends the vendor cause, whose text ends in a newline on 18.16: the line is the first.
      expect(describeError(error).trimEnd()).not.toContain('\n');
      expect(describeError(error)).toMatch(/^query hourly: .*sentiment_hourly.* \(run: sentiflow migrate\)/);
    } finally {
      await admin.command({ query: `DROP DATABASE IF EXISTS ${empty}` });
      await bare.close();
    }
  });
});
