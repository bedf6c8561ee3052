import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.js';
import { checkSymbols, QUERIES, QUERY_NAMES, queryNamed } from '../../../pipeline/query/queries.js';
import { fakeSelect } from './fake-select.js';

const H0 = Date.UTC(2024, 4, 1, 10) / 1000;
const filter = { fromMs: H0 * 1000, toMs: (H0 + 7200) * 1000, symbols: [] as string[], limit: 100 };

describe('compare', () => {
  const long = [
    { hour: H0, symbol: 'BTC', weighted_mean: 0.3, tweets: '3' },
    { hour: H0, symbol: 'ETH', weighted_mean: 0.5, tweets: '5' },
    { hour: H0 + 3600, symbol: 'ETH', weighted_mean: -0.1, tweets: '2' },
  ];

  it('pivots the symbols it finds into columns, empty where a symbol has no bucket', async () => {
    const { columns, rows } = await QUERIES.compare.run(fakeSelect([[/sentiment_hourly/, long]]), filter);
    expect(columns.map((c) => c.label ?? c.key)).toEqual([
      'hour',
      'BTC weighted',
      'BTC tweets',
      'ETH weighted',
      'ETH tweets',
    ]);
    expect(rows).toEqual([
      { hour: H0, BTC_weighted_mean: 0.3, BTC_tweets: 3, ETH_weighted_mean: 0.5, ETH_tweets: 5 },
      { hour: H0 + 3600, BTC_weighted_mean: null, BTC_tweets: null, ETH_weighted_mean: -0.1, ETH_tweets: 2 },
    ]);
  });

  it('keeps requested symbols as columns even without data, and limits hours', async () => {
    const select = fakeSelect([[/sentiment_hourly/, long]]);
    const { columns, rows } = await QUERIES.compare.run(select, {
      ...filter,
      symbols: ['DOGE', 'ETH'],
      limit: 1,
    });
    expect(columns.map((c) => c.key)).toEqual([
      'hour',
      'DOGE_weighted_mean',
      'DOGE_tweets',
      'ETH_weighted_mean',
      'ETH_tweets',
    ]);
    expect(rows).toHaveLength(1);
    expect(select.sql[0]).toContain("symbol IN ('DOGE', 'ETH')");
  });
});

describe('signals', () => {
  it('leaves the order columns out when there is no orders table', async () => {
    const select = fakeSelect([
      [/system\.tables/, [{ n: '0' }]],
      [
        /FROM signals FINAL/,
        [
          {
            decision_id: 'd1',
            bucket: H0,
            strategy: 's',
            symbol: 'BTC',
            action: 'BUY',
            size: 0.5,
            reason: 'r',
            inputs_json: '{"z":2}',
          },
        ],
      ],
    ]);
    const result = await QUERIES.signals.run(select, filter);
    expect(result.columns.map((c) => c.key)).not.toContain('order_status');
    expect(select.sql[1]).not.toContain('JOIN');
    expect(result.rows[0]).toMatchObject({ decision_id: 'd1', inputs: { z: 2 } });
  });
});

describe('queryNamed and checkSymbols', () => {
  it('knows every query it lists', () => {
    for (const name of QUERY_NAMES) expect(queryNamed(name).name).toBe(name);
  });

  it('refuses an unknown name with the list of names', () => {
    expect(() => queryNamed('tweets')).toThrow(
      'query: unknown query "tweets" (one of: hourly, metrics, compare, rules, authors, drops, signals, accounting)',
    );
  });

  it.each([
    ['hourly', [], /needs exactly one symbol/],
    ['hourly', ['BTC', 'ETH'], /needs exactly one symbol/],
    ['accounting', ['BTC'], /covers all symbols/],
  ] as const)('%s with %j is a ConfigError', (name, symbols, message) => {
    expect(() => checkSymbols(name, symbols)).toThrow(ConfigError);
    expect(() => checkSymbols(name, symbols)).toThrow(message);
  });
});
