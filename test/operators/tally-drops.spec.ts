import { from, lastValueFrom, scan } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DROP_REASONS, type DropTally, dropped, tallyDrops } from '../../operators/tally-drops.js';
import { DROP_STAGES } from '../../operators/types.js';
import { tweet } from './support.js';

describe('tallyDrops', () => {
  it('counts drops per stage and reason and ignores everything else', () => {
    const items = [
      dropped('filter', 'no_symbol', '', '1', 0),
      tweet(),
      dropped('filter', 'no_symbol', '', '2', 0),
      dropped('dedupe', 'retweet', '', '3', 0),
    ];
    expect(items.reduce(tallyDrops, {} as DropTally)).toEqual({ 'filter/no_symbol': 2, 'dedupe/retweet': 1 });
  });

  it('returns the same tally object for non-drops and never mutates its input', () => {
    const tally: DropTally = Object.freeze({ 'filter/language': 1 });
    expect(tallyDrops(tally, tweet())).toBe(tally);
    expect(tallyDrops(tally, dropped('filter', 'language', '', null, null))).toEqual({
      'filter/language': 2,
    });
  });

  it('works as a scan seed over a stream', async () => {
    const tally = await lastValueFrom(
      from([dropped('window', 'late', '', '1', 0), tweet()]).pipe(scan(tallyDrops, {} as DropTally)),
    );
    expect(tally).toEqual({ 'window/late': 1 });
  });

  it('lists reasons for every stage', () => {
    expect(Object.keys(DROP_REASONS).sort()).toEqual([...DROP_STAGES].sort());
  });
});
