import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SentiflowError } from '../../../lib/errors.js';
import { planQuery, printQuery } from '../../../pipeline/commands/query.js';
import { accountingQuery } from '../../../pipeline/query/accounting.js';
import { fakeSelect } from './fake-select.js';

const H0 = Date.UTC(2024, 4, 1, 10) / 1000;
const H1 = H0 + 3600;
const range = { fromMs: H0 * 1000, toMs: (H1 + 3600) * 1000 };

// ClickHouse returns UInt64 counts as JSON strings.
const hours = [
  { hour: H0, consumed: '5', stored: '3', dropped: '1', rejected: '1' },
  { hour: H1, consumed: '4', stored: '2', dropped: '2', rejected: '0' },
];
const reasons = [
  { hour: H0, outcome: 'dropped', stage: 'dedupe', reason: 'duplicate_id', messages: '1' },
  { hour: H0, outcome: 'rejected', stage: 'normalize', reason: 'invalid_json', messages: '1' },
  { hour: H1, outcome: 'dropped', stage: 'filter', reason: 'language', messages: '2' },
];

function ledger(total: Record<string, string>, hourRows = hours) {
  return fakeSelect([
    [/GROUP BY event_hour, outcome/, reasons],
    [/GROUP BY event_hour/, hourRows],
    [/FROM intake FINAL/, [total]],
  ]);
}

describe('accountingQuery', () => {
  it('shows every hour and the total balanced, with drops and rejections by stage:reason', async () => {
    const result = await accountingQuery(
      ledger({ consumed: '9', stored: '5', dropped: '3', rejected: '1' }),
      range,
    );
    expect(result.ok).toBe(true);
    expect(result.rows).toEqual([
      {
        hour: H0,
        consumed: 5,
        stored: 3,
        dropped: 1,
        rejected: 1,
        balanced: true,
        reasons: { 'dedupe:duplicate_id': 1, 'rejected normalize:invalid_json': 1 },
      },
      {
        hour: H1,
        consumed: 4,
        stored: 2,
        dropped: 2,
        rejected: 0,
        balanced: true,
        reasons: { 'filter:language': 2 },
      },
      {
        hour: 'total',
        consumed: 9,
        stored: 5,
        dropped: 3,
        rejected: 1,
        balanced: true,
        reasons: { 'dedupe:duplicate_id': 1, 'rejected normalize:invalid_json': 1, 'filter:language': 2 },
      },
    ]);
    expect(result.notes).toEqual([
      'consumed = stored + dropped + rejected: 9 = 5 + 3 + 1 holds for the total and every hour',
    ]);
  });

  it('marks an hour whose outcomes do not add up to what was consumed', async () => {
    const broken = [{ ...hours[0]!, consumed: '6' }, hours[1]!];
    const result = await accountingQuery(
      ledger({ consumed: '10', stored: '5', dropped: '3', rejected: '1' }, broken),
      range,
    );
    expect(result.ok).toBe(false);
    expect(result.rows.map((r) => r.balanced)).toEqual([false, true, false]);
    expect(result.notes[0]).toMatch(/^ACCOUNTING MISMATCH: 10 = 5 \+ 3 \+ 1/);
  });

  it('is not ok when the hours do not add up to the separately counted total', async () => {
    const result = await accountingQuery(
      ledger({ consumed: '10', stored: '6', dropped: '3', rejected: '1' }),
      range,
    );
    expect(result.ok).toBe(false);
    expect(result.notes[0]).toContain('the hours do not add up to the total');
  });

  it('has no rows for an empty range', async () => {
    const result = await accountingQuery(
      ledger({ consumed: '0', stored: '0', dropped: '0', rejected: '0' }, []),
      range,
    );
    expect(result.rows).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('printQuery with accounting', () => {
  it('prints the rows and then fails with the mismatch on one line', async () => {
    let stdout = '';
    const out = new Writable({
      write(chunk: Buffer, _e, done) {
        stdout += chunk.toString();
        done();
      },
    });
    const plan = planQuery(
      'accounting',
      { from: String(H0), to: String(H1 + 3600), format: 'csv' },
      { now: Date.now(), isTTY: false },
    );
    const select = ledger({ consumed: '10', stored: '5', dropped: '3', rejected: '1' });
    const error = await printQuery(plan, select, { stdout: out, stderr: out }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentiflowError);
    expect((error as Error).message).toMatch(/^query accounting: ACCOUNTING MISMATCH/);
    expect(stdout).toContain('hour,consumed,stored,dropped,rejected,balanced,reasons\r\n');
  });
});
