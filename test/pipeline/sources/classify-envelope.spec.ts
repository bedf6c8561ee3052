import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../../pipeline/sources/classify-envelope.js';

const line = (data: Record<string, unknown>): string => JSON.stringify({ data });

describe('classifyLine', () => {
  it('keys a tweet by its id', () => {
    const item = classifyLine(
      line({ id: '11', text: 'hi', created_at: '2026-01-01T00:00:00Z' }),
      'file',
      'f:1',
    );
    expect(item).toMatchObject({ kind: 'envelope', id: '11', key: '11', createdAt: Date.UTC(2026, 0, 1) });
  });

  it('keys a retweet by its original so both land in one partition', () => {
    const retweet = line({
      id: '12',
      text: 'RT @a: hi',
      referenced_tweets: [{ type: 'retweeted', id: '11' }],
    });
    expect(classifyLine(retweet, 'file', 'f:2')).toMatchObject({ id: '12', key: '11' });
    const quote = line({ id: '13', text: 'so true', referenced_tweets: [{ type: 'quoted', id: '11' }] });
    expect(classifyLine(quote, 'file', 'f:3')).toMatchObject({ id: '13', key: '13' });
  });

  it('ignores a malformed reference and keys by the id', () => {
    const odd = line({ id: '14', text: 'x', referenced_tweets: [{ type: 'retweeted', id: 'nope' }] });
    expect(classifyLine(odd, 'file', 'f:4')).toMatchObject({ key: '14' });
  });

  it('rejects lines that are not envelopes, with where they came from', () => {
    expect(classifyLine('{', 'file', 'f:5')).toMatchObject({ kind: 'reject', reason: 'invalid_json' });
    expect(classifyLine(line({ text: 'no id' }), 'file', 'f:6')).toMatchObject({
      kind: 'reject',
      reason: 'missing_id',
      detail: expect.stringContaining('f:6'),
    });
  });
});
