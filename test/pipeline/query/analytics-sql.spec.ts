import { describe, expect, it } from 'vitest';
import {
  accountingTotalSql,
  dropsSql,
  hourlySql,
  metricsSql,
  rulesSql,
  signalsSql,
} from '../../../pipeline/query/analytics-sql.js';

const base = {
  fromMs: Date.UTC(2024, 4, 1, 10),
  toMs: Date.UTC(2024, 4, 1, 12),
  symbols: [] as string[],
  limit: 10,
};

describe('analytics SQL builders', () => {
  it('writes times as epoch-second DateTimes and the symbol as an escaped literal', () => {
    const sql = hourlySql({ ...base, symbol: "BTC'; DROP TABLE tweets --" });
    expect(sql).toContain("symbol = 'BTC\\'; DROP TABLE tweets --'");
    expect(sql).toContain('bucket_start >= toDateTime(1714557600) AND bucket_start < toDateTime(1714564800)');
  });

  it('filters symbols only when some are given', () => {
    expect(rulesSql(base)).not.toContain('symbol IN');
    expect(rulesSql({ ...base, symbols: ['BTC', 'ETH'] })).toContain("AND symbol IN ('BTC', 'ETH')");
  });

  it('refuses a limit that is not a finite number', () => {
    expect(() => rulesSql({ ...base, limit: Number.NaN })).toThrow(RangeError);
  });

  it('filters metrics by symbol but takes dominance over every symbol of the hour', () => {
    const sql = metricsSql({ ...base, symbols: ['BTC'] });
    expect(sql.match(/symbol IN \('BTC'\)/g)).toHaveLength(1);
    expect(sql).toMatch(
      /SELECT bucket_start, sum\(count\) AS hour_tweets\s+FROM sentiment_hourly FINAL\s+WHERE bucket_start >= [^\n]+\n\s+GROUP BY/,
    );
  });

  it('aliases the joined subqueries, which current ClickHouse requires', () => {
    expect(signalsSql({ ...base, withOrders: true })).toMatch(
      /\) AS s\s+ANY LEFT JOIN \([\s\S]*\) AS o USING decision_id/,
    );
  });

  it('reads one source from the tweets table, and filters drops and the ledger by source', () => {
    expect(hourlySql({ ...base, symbol: 'BTC' })).toContain('FROM sentiment_hourly FINAL');
    const sql = hourlySql({ ...base, symbol: 'BTC', source: 'bluesky' });
    expect(sql).toContain('FROM tweets FINAL');
    expect(sql).toContain("symbol = 'BTC' AND source = 'bluesky' AND created_at >= toDateTime(1714557600)");
    expect(sql).toContain('countIf(score > toFloat32(0.05)) AS positive');
    expect(dropsSql({ ...base, source: 'mastodon' })).toContain("AND source = 'mastodon'");
    expect(accountingTotalSql(base)).not.toContain('source');
    expect(accountingTotalSql({ ...base, source: 'x' })).toContain("AND source = 'x'");
  });
});
