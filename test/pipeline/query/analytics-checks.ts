/**
 * What every shipped analytics query must answer over analytics-fixture.ts, as checks that run the
 * same way against any SelectRows: ClickHouse 18.16 over HTTP and current ClickHouse in chdb.
 */
import { expect } from 'vitest';
import { planQuery, type QueryFlags } from '../../../pipeline/commands/query.js';
import { QUERIES, type QueryName } from '../../../pipeline/query/queries.js';
import type { QueryResult, Row, SelectRows } from '../../../pipeline/query/result.js';
import { EXPECTED, FROM, H0, H1, H3, H4, round4, SOURCE_FROM, SOURCE_TO, TO } from './analytics-fixture.js';

export async function runFixtureQuery(
  select: SelectRows,
  name: QueryName,
  flags: QueryFlags = {},
): Promise<QueryResult> {
  const plan = planQuery(name, { from: FROM, to: TO, ...flags }, { now: H1 + 86_400_000, isTTY: false });
  return QUERIES[plan.name].run(select, plan.filter);
}

const rounded = (rows: readonly Row[]): Row[] =>
  rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? round4(v) : v])),
  );
const hourSeconds = (ms: number): number => ms / 1000;

export interface FixtureCheck {
  readonly name: string;
  run(select: SelectRows): Promise<void>;
}

export const FIXTURE_CHECKS: readonly FixtureCheck[] = [
  {
    name: 'hourly: complete buckets of one symbol in range, replaced bucket read through FINAL',
    async run(select) {
      const { rows } = await runFixtureQuery(select, 'hourly', { symbol: 'BTC' });
      expect(rounded(rows)).toEqual([
        expect.objectContaining({ ...EXPECTED.hourlyBtc[0], hour: hourSeconds(H0), distinct_authors: 3 }),
        expect.objectContaining({
          ...EXPECTED.hourlyBtc[1],
          hour: hourSeconds(H1),
          positive: 3,
          negative: 1,
        }),
      ]);
    },
  },
  {
    name: 'compare: one row per hour, a weighted mean and a volume column per symbol',
    async run(select) {
      const { rows, columns } = await runFixtureQuery(select, 'compare', { symbols: 'BTC,ETH' });
      expect(columns.map((c) => c.key)).toEqual([
        'hour',
        'BTC_weighted_mean',
        'BTC_tweets',
        'ETH_weighted_mean',
        'ETH_tweets',
      ]);
      expect(rounded(rows)).toEqual([
        {
          hour: hourSeconds(H0),
          BTC_weighted_mean: 0.3,
          BTC_tweets: 3,
          ETH_weighted_mean: 0.5,
          ETH_tweets: 5,
        },
        {
          hour: hourSeconds(H1),
          BTC_weighted_mean: -0.2,
          BTC_tweets: 4,
          ETH_weighted_mean: null,
          ETH_tweets: null,
        },
      ]);
    },
  },
  {
    name: 'rules: each tweet once per rule tag, untagged ones under (untagged)',
    async run(select) {
      const { rows } = await runFixtureQuery(select, 'rules');
      expect(rounded(rows)).toEqual(EXPECTED.rules);
    },
  },
  {
    name: 'rules --symbols ETH: only tweets that count for ETH',
    async run(select) {
      const { rows } = await runFixtureQuery(select, 'rules', { symbols: 'ETH' });
      expect(rows.map((r) => [r.tag, r.tweets])).toEqual([
        ['(untagged)', 1],
        ['btc', 1],
        ['eth', 1],
      ]);
    },
  },
  {
    name: 'authors: ranked by summed weight, each tweet once',
    async run(select) {
      const { rows } = await runFixtureQuery(select, 'authors');
      expect(rounded(rows)).toEqual([
        { ...EXPECTED.authors[0], weighted_mean: round4(2 / 3) },
        { ...EXPECTED.authors[1], weighted_mean: -0.5 },
      ]);
    },
  },
  {
    name: 'drops: drop and rejection reasons per hour from dlq_counts, then their totals over the range',
    async run(select) {
      const { rows, notes } = await runFixtureQuery(select, 'drops');
      expect(rows).toEqual([
        { hour: hourSeconds(H0), ...EXPECTED.drops[0] },
        { hour: hourSeconds(H0), ...EXPECTED.drops[1] },
        { hour: hourSeconds(H1), ...EXPECTED.drops[2] },
        { hour: 'total', ...EXPECTED.drops[2] },
        { hour: 'total', ...EXPECTED.drops[0] },
        { hour: 'total', ...EXPECTED.drops[1] },
        { hour: 'total', outcome: 'all', stage: '', reason: '', messages: 4 },
      ]);
      expect(notes).toEqual(['4 messages dropped or rejected in the range: 3 dropped, 1 rejected']);
    },
  },
  {
    name: 'drops: the totals cover the whole range whatever --limit cuts from the hours',
    async run(select) {
      const { rows } = await runFixtureQuery(select, 'drops', { limit: '1' });
      expect(rows.filter((r) => r.hour !== 'total')).toHaveLength(1);
      expect(rows.at(-1)).toMatchObject({ hour: 'total', outcome: 'all', messages: 4 });
    },
  },
  {
    name: 'metrics: volume, authors, dominance against all symbols, balance and sentiment, exact',
    async run(select) {
      const { rows } = await runFixtureQuery(select, 'metrics');
      expect(rows).toEqual(EXPECTED.metrics.map((m) => ({ ...m, hour: hourSeconds(m.hour) })));
      // Dominance is a share of every symbol's volume in the hour, whatever the filter.
      const btc = await runFixtureQuery(select, 'metrics', { symbol: 'BTC' });
      expect(btc.rows.map((r) => [r.hour, r.dominance])).toEqual([
        [hourSeconds(H0), 0.375],
        [hourSeconds(H1), 1],
      ]);
    },
  },
  {
    name: 'signals: latest first, joined with the order of the same decision_id',
    async run(select) {
      const { rows } = await runFixtureQuery(select, 'signals', { symbol: 'BTC' });
      expect(rows.map((r) => [r.decision_id, r.bucket, r.action, r.order_status, r.filled_amount])).toEqual([
        ['d3', hourSeconds(H1), 'SELL', null, null],
        ['d1', hourSeconds(H0), 'BUY', 'filled', 0.01],
      ]);
      expect(rows[1]?.inputs).toEqual({ z: 1.5 });
    },
  },
  {
    name: 'accounting: consumed = stored + dropped + rejected per hour and in total, replays counted once',
    async run(select) {
      const result = await runFixtureQuery(select, 'accounting');
      expect(result.ok).toBe(true);
      expect(result.rows.map((r) => r.hour)).toEqual([hourSeconds(H0), hourSeconds(H1), 'total']);
      expect(result.rows).toEqual(EXPECTED.accounting.map((counts) => expect.objectContaining(counts)));
      expect(result.rows.every((r) => r.balanced === true)).toBe(true);
      expect(result.rows[2]?.reasons).toEqual({
        'dedupe:duplicate_id': 1,
        'filter:language': 2,
        'rejected normalize:invalid_json': 1,
      });
      expect(result.notes.join('\n')).toContain('9 = 5 + 3 + 1');
    },
  },
  {
    name: 'hourly --source: the hours of one source and symbol from the tweets table',
    async run(select) {
      const range = { from: SOURCE_FROM, to: SOURCE_TO, symbol: 'BTC' };
      const bluesky = await runFixtureQuery(select, 'hourly', { ...range, source: 'bluesky' });
      expect(rounded(bluesky.rows)).toEqual([
        {
          hour: hourSeconds(H3),
          tweets: 2,
          score_mean: 0,
          weighted_mean: round4((0.5 * 2 - 0.5) / 3),
          positive: 1,
          negative: 1,
          neutral: 0,
          distinct_authors: 2,
        },
        {
          hour: hourSeconds(H4),
          tweets: 1,
          score_mean: 0.02,
          weighted_mean: 0.02,
          positive: 0,
          negative: 0,
          neutral: 1,
          distinct_authors: 1,
        },
      ]);
      const mastodon = await runFixtureQuery(select, 'hourly', { ...range, source: 'mastodon' });
      expect(rounded(mastodon.rows)).toEqual([
        expect.objectContaining({ hour: hourSeconds(H3), tweets: 1, weighted_mean: 1, positive: 1 }),
      ]);
      const x = await runFixtureQuery(select, 'hourly', { ...range, source: 'x' });
      expect(rounded(x.rows)).toEqual([
        expect.objectContaining({ hour: hourSeconds(H3), tweets: 1, neutral: 1, distinct_authors: 1 }),
      ]);
    },
  },
  {
    name: 'drops, accounting and authors --source: the ledger of one source; rejections of no source only in the whole',
    async run(select) {
      const range = { from: SOURCE_FROM, to: SOURCE_TO };
      const all = await runFixtureQuery(select, 'drops', range);
      expect(all.rows.filter((r) => r.hour !== 'total').map((r) => [r.reason, r.messages])).toEqual([
        ['near_duplicate', 1],
        ['deleted_post', 1],
        ['invalid_json', 1],
      ]);
      const mastodon = await runFixtureQuery(select, 'drops', { ...range, source: 'mastodon' });
      expect(mastodon.rows.map((r) => [r.hour, r.reason, r.messages])).toEqual([
        [hourSeconds(H3), 'near_duplicate', 1],
        ['total', 'near_duplicate', 1],
        ['total', '', 1],
      ]);
      const ledger = await runFixtureQuery(select, 'accounting', { ...range, source: 'bluesky' });
      expect(ledger.ok).toBe(true);
      expect(ledger.rows.at(-1)).toMatchObject({
        hour: 'total',
        consumed: 4,
        stored: 3,
        dropped: 0,
        rejected: 1,
        reasons: { 'rejected normalize:deleted_post': 1 },
      });
      const whole = await runFixtureQuery(select, 'accounting', range);
      expect(whole.rows.at(-1)).toMatchObject({ consumed: 8, stored: 5, dropped: 1, rejected: 2 });
      const authors = await runFixtureQuery(select, 'authors', { ...range, source: 'mastodon' });
      expect(authors.rows.map((r) => r.author_id)).toEqual(['https://m.example/@c']);
    },
  },
];
