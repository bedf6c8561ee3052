import { describe, expect, it } from 'vitest';
import { tradesCsv } from '../../../sinks/reports/trades-csv.js';
import { fixtureResult } from './fixture.js';

describe('trades.csv', () => {
  it('writes a header and one row per fill with ISO times', () => {
    const lines = tradesCsv(fixtureResult().trades).trim().split('\n');
    expect(lines[0]).toBe(
      'decided_at,decision_id,strategy,symbol,market,side,amount,price,cost,fee,pnl,dust,reason',
    );
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^2021-01-04T20:00:00\.000Z,sf-BTC-20,zscore,BTC,BTC\/USDT,sell,0\.1,32450,/);
  });

  it('marks the dust a closing sell left behind', () => {
    const lines = tradesCsv(fixtureResult().trades).trim().split('\n');
    expect(lines[4]).toMatch(/,sell,0\.1,990,99,0\.099,-2\.5,0\.00004,z -2\.3 <= -2$/);
    expect(lines[2]).toMatch(/,12\.3,0,/);
  });

  it('quotes fields with commas and quotes (RFC 4180)', () => {
    const lines = tradesCsv(fixtureResult().trades).trim().split('\n');
    expect(lines[1]!.endsWith(',"z 2.100 >= 2, ""quoted"""')).toBe(true);
  });

  it('writes only the header when there were no fills', () => {
    expect(tradesCsv([])).toBe(
      'decided_at,decision_id,strategy,symbol,market,side,amount,price,cost,fee,pnl,dust,reason\n',
    );
  });
});
