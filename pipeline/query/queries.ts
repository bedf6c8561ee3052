/**
 * The questions `sentiflow query <name>` answers: for each, what it needs (symbols), its columns and
 * how its rows are built from the SQL in analytics-sql.ts. Every query runs through a
 * SelectRows port, so the same definitions run on a ClickHouse server and on chdb in tests.
 */

import { ConfigError } from '../../lib/errors.js';
import { accountingQuery } from './accounting.js';
import { type AnalyticsFilter, authorsSql, hourlySql, metricsSql, rulesSql } from './analytics-sql.js';
import { f, forSymbols, hour, i, result, t } from './columns.js';
import { compareQuery } from './compare.js';
import { dropsQuery } from './drops.js';
import { type Column, coerceRows, type QueryResult, type SelectRows } from './result.js';
import { signalsQuery } from './signals.js';

export const QUERY_NAMES = [
  'hourly',
  'metrics',
  'compare',
  'rules',
  'authors',
  'drops',
  'signals',
  'accounting',
] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

export interface QueryDefinition {
  readonly summary: string;
  /** one: exactly one symbol; many: any number (none = all); none: symbols do not apply. */
  readonly symbols: 'one' | 'many' | 'none';
  readonly defaultLimit: number;
  /** Whether `--source` applies (the query reads tweets or intake, which carry the post source). */
  readonly bySource: boolean;
  run(select: SelectRows, filter: AnalyticsFilter): Promise<QueryResult>;
}

const HOURLY: readonly Column[] = [
  hour,
  i('tweets'),
  f('score_mean', 'mean'),
  f('weighted_mean', 'weighted'),
  i('positive', 'pos'),
  i('negative', 'neg'),
  i('neutral', 'neutral'),
  i('distinct_authors', 'authors'),
];
const RULES = [t('tag'), i('tweets'), f('score_mean', 'mean'), f('weighted_mean', 'weighted'), i('authors')];
const AUTHORS = [
  t('author_id'),
  t('author_username', 'username'),
  i('tweets'),
  f('weight_sum', 'weight'),
  f('score_mean', 'mean'),
  f('weighted_mean', 'weighted'),
];
export const METRICS: readonly Column[] = [
  hour,
  t('symbol'),
  i('tweets', 'volume'),
  i('authors'),
  f('dominance'),
  i('balance'),
  i('positive', 'pos'),
  i('negative', 'neg'),
  f('weighted_mean', 'sentiment'),
];
export const QUERIES: Readonly<Record<QueryName, QueryDefinition>> = {
  hourly: {
    summary: 'sentiment per hour for one symbol: volume, mean, weighted mean, pos/neg/neutral, authors',
    symbols: 'one',
    defaultLimit: 10_000,
    bySource: true,
    run: async (select, filter) => {
      const symbol = filter.symbols[0] ?? '';
      const rows = coerceRows(await select(hourlySql({ ...filter, symbol })), HOURLY);
      const title =
        filter.source === undefined
          ? `hourly sentiment of ${symbol} (closed buckets)`
          : `hourly sentiment of ${symbol} from ${filter.source} (stored tweets)`;
      return result(title, HOURLY, rows);
    },
  },
  metrics: {
    summary:
      'social metrics per symbol and hour: volume, unique authors, dominance, balance, weighted sentiment',
    symbols: 'many',
    defaultLimit: 10_000,
    bySource: false,
    run: async (select, filter) =>
      result(
        `social metrics per hour, ${forSymbols(filter.symbols)} (dominance: share of all symbols' volume)`,
        METRICS,
        coerceRows(await select(metricsSql(filter)), METRICS),
      ),
  },
  compare: {
    summary: 'symbols side by side per hour: weighted mean and volume',
    symbols: 'many',
    defaultLimit: 10_000,
    bySource: false,
    run: compareQuery,
  },
  rules: {
    summary: 'volume and sentiment per stream rule tag (each tweet once)',
    symbols: 'many',
    defaultLimit: 1_000,
    bySource: true,
    run: async (select, filter) =>
      result(
        `volume and sentiment per rule tag, ${forSymbols(filter.symbols)}`,
        RULES,
        coerceRows(await select(rulesSql(filter)), RULES),
      ),
  },
  authors: {
    summary: 'top authors by summed weight of their stored tweets',
    symbols: 'many',
    defaultLimit: 20,
    bySource: true,
    run: async (select, filter) =>
      result(
        `top authors by weight, ${forSymbols(filter.symbols)}`,
        AUTHORS,
        coerceRows(await select(authorsSql(filter)), AUTHORS),
      ),
  },
  drops: {
    summary: 'drops and DLQ rejections per reason per hour, and their totals over the range',
    symbols: 'none',
    defaultLimit: 10_000,
    bySource: true,
    run: dropsQuery,
  },
  signals: {
    summary: 'latest decisions, joined with their orders when the orders table exists',
    symbols: 'many',
    defaultLimit: 50,
    bySource: false,
    run: signalsQuery,
  },
  accounting: {
    summary: 'per hour and in total: consumed = stored + dropped + rejected, drops by reason',
    symbols: 'none',
    defaultLimit: 10_000,
    bySource: true,
    run: (select, filter) => accountingQuery(select, filter),
  },
};

export function queryNamed(name: string): QueryDefinition & { readonly name: QueryName } {
  if (!(QUERY_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(`query: unknown query ${JSON.stringify(name)} (one of: ${QUERY_NAMES.join(', ')})`);
  }
  return { ...QUERIES[name as QueryName], name: name as QueryName };
}

/** Refuses `--source` on a query over the hourly buckets, which hold every source together. */
export function checkSource(name: QueryName, source: string | undefined): void {
  if (source !== undefined && !QUERIES[name].bySource) {
    throw new ConfigError(
      `query ${name}: reads the hourly buckets, which mix every source; --source applies to ${QUERY_NAMES.filter((n) => QUERIES[n].bySource).join(', ')}`,
    );
  }
}

/** Checks the symbols against what the query takes. */
export function checkSymbols(name: QueryName, symbols: readonly string[]): void {
  const { symbols: takes } = QUERIES[name];
  if (takes === 'one' && symbols.length !== 1) {
    throw new ConfigError(`query ${name}: needs exactly one symbol (--symbol BTC), got ${symbols.length}`);
  }
  if (takes === 'none' && symbols.length > 0) {
    throw new ConfigError(`query ${name}: covers all symbols; --symbol/--symbols do not apply`);
  }
}
