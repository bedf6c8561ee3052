/**
 * The questions `sentiflow query <name>` answers: for each, what it needs (symbols), its columns and
 * how its rows are built from the SQL in sinks/clickhouse/analytics.ts. Every query runs through a
 * SelectRows port, so the same definitions run on a ClickHouse server and on chdb in tests.
 */
import {
  type AnalyticsFilter,
  authorsSql,
  dropsSql,
  hourlySql,
  rulesSql,
} from '../../sinks/clickhouse/analytics.js';
import { ConfigError } from '../../sinks/errors.js';
import { accountingQuery } from './accounting.js';
import { f, forSymbols, hour, i, result, t } from './columns.js';
import { compareQuery } from './compare.js';
import { type Column, coerceRows, type QueryResult, type SelectRows } from './result.js';
import { signalsQuery } from './signals.js';

export const QUERY_NAMES = [
  'hourly',
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
const DROPS = [{ ...hour, source: 'hour_start' }, t('outcome'), t('stage'), t('reason'), i('messages')];
export const QUERIES: Readonly<Record<QueryName, QueryDefinition>> = {
  hourly: {
    summary: 'sentiment per hour for one symbol: volume, mean, weighted mean, pos/neg/neutral, authors',
    symbols: 'one',
    defaultLimit: 10_000,
    run: async (select, filter) => {
      const symbol = filter.symbols[0] ?? '';
      const rows = coerceRows(await select(hourlySql({ ...filter, symbol })), HOURLY);
      return result(`hourly sentiment of ${symbol} (closed buckets)`, HOURLY, rows);
    },
  },
  compare: {
    summary: 'symbols side by side per hour: weighted mean and volume',
    symbols: 'many',
    defaultLimit: 10_000,
    run: compareQuery,
  },
  rules: {
    summary: 'volume and sentiment per stream rule tag (each tweet once)',
    symbols: 'many',
    defaultLimit: 1_000,
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
    run: async (select, filter) =>
      result(
        `top authors by weight, ${forSymbols(filter.symbols)}`,
        AUTHORS,
        coerceRows(await select(authorsSql(filter)), AUTHORS),
      ),
  },
  drops: {
    summary: 'drops and DLQ rejections per reason per hour',
    symbols: 'none',
    defaultLimit: 10_000,
    run: async (select, filter) =>
      result('drops and rejections per hour', DROPS, coerceRows(await select(dropsSql(filter)), DROPS)),
  },
  signals: {
    summary: 'latest decisions, joined with their orders when the orders table exists',
    symbols: 'many',
    defaultLimit: 50,
    run: signalsQuery,
  },
  accounting: {
    summary: 'per hour and in total: consumed = stored + dropped + rejected, drops by reason',
    symbols: 'none',
    defaultLimit: 10_000,
    run: (select, filter) => accountingQuery(select, filter),
  },
};

export function queryNamed(name: string): QueryDefinition & { readonly name: QueryName } {
  if (!(QUERY_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(`query: unknown query ${JSON.stringify(name)} (one of: ${QUERY_NAMES.join(', ')})`);
  }
  return { ...QUERIES[name as QueryName], name: name as QueryName };
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
