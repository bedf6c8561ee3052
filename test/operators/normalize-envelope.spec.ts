import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEnvelope, normalizeParsed } from '../../operators/normalize-envelope.js';
import { NORMALIZE_REASONS } from '../../operators/tally-drops.js';
import type { Dropped, Tweet } from '../../operators/types.js';
import { envelope } from './support.js';

const fixtures = new URL('../fixtures/envelopes/', import.meta.url);
const lines = (name: string): string[] =>
  readFileSync(new URL(name, fixtures), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

function asTweet(result: Tweet | Dropped): Tweet {
  if (result.kind !== 'tweet') throw new Error(`expected a tweet, got ${result.reason}: ${result.detail}`);
  return result;
}

describe('normalizeEnvelope on valid X v2 payloads', () => {
  const [plain, retweet, long] = lines('valid.jsonl');

  it('maps a plain tweet with its author from includes.users', () => {
    const t = asTweet(normalizeEnvelope(plain!));
    expect(t).toEqual({
      kind: 'tweet',
      id: '1800000000000000001',
      source: 'x',
      text: 'Buying more $BTC, this dip is a gift 🚀',
      createdAt: Date.UTC(2026, 0, 1, 10, 0, 0),
      authorId: '1001',
      authorUsername: 'hodler',
      authorFollowers: 5400,
      authorCreatedAt: Date.UTC(2019, 2, 4, 5, 6, 7),
      lang: 'en',
      metrics: { retweets: 12, replies: 3, likes: 80, quotes: 1 },
      retweetOf: null,
      quoteOf: null,
      replyTo: null,
      ruleTags: ['crypto'],
    });
  });

  it('gives a retweet the original id and the original full text', () => {
    const t = asTweet(normalizeEnvelope(retweet!));
    expect(t.retweetOf).toBe('1800000000000000001');
    expect(t.text).toBe('Buying more $BTC, this dip is a gift 🚀');
    expect(t.authorId).toBe('1002');
    expect(t.authorFollowers).toBe(20);
  });

  it('takes the full text of a long post from note_tweet, and reply and quote references', () => {
    const t = asTweet(normalizeEnvelope(long!));
    expect(t.text).toContain('bullish for usage');
    expect(t.replyTo).toBe('1799999999999999999');
    expect(t.quoteOf).toBe('1799999999999999998');
    expect(t.ruleTags).toEqual(['eth']);
  });

  it('reads the text as written: X escapes &, < and > (and only those), note_tweet included', () => {
    const escaped = JSON.parse(plain!);
    escaped.data.text = '$BTC &amp; $ETH &lt;3, stop &gt;&gt; &amp;quot;FUD&amp;quot; &quot;';
    expect(asTweet(normalizeEnvelope(JSON.stringify(escaped))).text).toBe(
      '$BTC & $ETH <3, stop >> &quot;FUD&quot; &quot;',
    );
    escaped.data.note_tweet = { text: 'long &amp; strong' };
    expect(asTweet(normalizeEnvelope(JSON.stringify(escaped))).text).toBe('long & strong');
  });

  it('reads bytes (as Kafka delivers them) the same as strings', () => {
    expect(normalizeEnvelope(new TextEncoder().encode(plain!))).toEqual(normalizeEnvelope(plain!));
  });

  it('leaves author fields null when the author is not in includes', () => {
    const t = asTweet(normalizeParsed(envelope({}, { includes: undefined })));
    expect([t.authorUsername, t.authorFollowers, t.authorCreatedAt]).toEqual([null, null, null]);
  });

  it('treats lang "und" as unknown', () => {
    expect(asTweet(normalizeParsed(envelope({ lang: 'und' }))).lang).toBeNull();
  });

  it('reads any UTC created_at X could send to the millisecond Date gives', () => {
    const dates = fc.date({
      noInvalidDate: true,
      min: new Date(Date.UTC(1900, 0, 1)),
      max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)),
    });
    const edges = [
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '2000-02-29T12:00:00.000Z',
      '2100-03-01T00:00:00.000Z',
    ];
    fc.assert(
      fc.property(fc.oneof(dates, fc.constantFrom(...edges.map((e) => new Date(e)))), (date) => {
        const t = asTweet(normalizeParsed(envelope({ created_at: date.toISOString() })));
        expect(t.createdAt).toBe(date.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts created_at with an offset and without milliseconds', () => {
    const t = asTweet(normalizeParsed(envelope({ created_at: '2026-01-01T12:00:00+02:00' })));
    expect(t.createdAt).toBe(Date.UTC(2026, 0, 1, 10, 0, 0));
  });
});

describe('normalizeEnvelope rejections', () => {
  const cases = lines('malformed.jsonl').map((l) => JSON.parse(l) as { reason: string; payload: string });

  it.each(cases)('rejects as $reason: $payload', ({ reason, payload }) => {
    const result = normalizeEnvelope(payload);
    expect(result).toMatchObject({ kind: 'dropped', stage: 'normalize', reason });
    expect((result as Dropped).detail).not.toBe('');
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(normalizeEnvelope(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toMatchObject({
      reason: 'invalid_utf8',
    });
  });

  it('rejects payloads over the size limit before parsing', () => {
    const big = JSON.stringify(envelope({ text: 'x'.repeat(2000) }));
    expect(normalizeEnvelope(big, { maxPayloadBytes: 1000 })).toMatchObject({ reason: 'payload_too_large' });
  });

  it('rejects text over the length limit', () => {
    expect(normalizeParsed(envelope({ text: 'y'.repeat(300) }), { maxTextLength: 280 })).toMatchObject({
      reason: 'text_too_long',
    });
  });

  it.each([
    ['', 'missing'],
    ['1'.repeat(21), '21 digits'],
    ['12a', 'a letter'],
    [' 12', 'a space'],
  ])('rejects the id %j (%s) and accepts 1 to 20 digits', (id) => {
    expect(normalizeParsed(envelope({ id }))).toMatchObject({ reason: 'bad_id' });
    expect(normalizeParsed(envelope({ id: '9'.repeat(20) }))).toMatchObject({ kind: 'tweet' });
    expect(normalizeParsed(envelope({ id: '0' }))).toMatchObject({ kind: 'tweet' });
  });

  it.each([
    ['a lone low surrogate', 'x \udc00 y'],
    ['a high surrogate at the end', 'x \ud83d'],
    ['two high surrogates', '\ud83d\ud83d\ude80'],
  ])('rejects text with %s; a whole emoji passes', (_, text) => {
    expect(normalizeParsed(envelope({ text }))).toMatchObject({ reason: 'bad_text' });
    expect(normalizeParsed(envelope({ text: 'x \ud83d\ude80 y' }))).toMatchObject({ kind: 'tweet' });
  });

  it('keeps the tweet id and event time on a rejection when they were readable', () => {
    const result = normalizeParsed(envelope({ lang: 5 }));
    expect(result).toMatchObject({
      reason: 'bad_lang',
      tweetId: '1800000000000000001',
      eventTime: Date.UTC(2026, 0, 1, 10),
    });
  });

  it('only uses reasons from NORMALIZE_REASONS', () => {
    for (const { payload } of cases) {
      const result = normalizeEnvelope(payload) as Dropped;
      expect(NORMALIZE_REASONS).toContain(result.reason);
    }
  });
});

// Any UTF-16 code units, lone surrogates included (fast-check's 'binary' unit is slow to generate).
const anyUtf16 = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 300,
});

describe('normalizeEnvelope never throws', () => {
  const isResult = (r: Tweet | Dropped): boolean =>
    r.kind === 'tweet' || (r.kind === 'dropped' && r.stage === 'normalize');

  it('on any parsed value', () => {
    fc.assert(fc.property(fc.anything(), (value) => isResult(normalizeParsed(value))));
  });

  it('on any string', () => {
    fc.assert(fc.property(anyUtf16, (s) => isResult(normalizeEnvelope(s))));
  });

  it('on any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => isResult(normalizeEnvelope(b))));
  });

  it('on a valid envelope with any field replaced by anything', () => {
    const fields = [
      'id',
      'text',
      'created_at',
      'author_id',
      'lang',
      'public_metrics',
      'referenced_tweets',
      'note_tweet',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.anything(), (field, value) =>
        isResult(normalizeEnvelope(JSON.stringify(envelope({ [field]: value })) ?? '')),
      ),
    );
  });

  it('on payloads that are not strings or bytes at all', () => {
    expect(normalizeEnvelope(42 as unknown as string)).toMatchObject({ kind: 'dropped' });
  });
});

describe('normalizeEnvelope on retweets whose original is incomplete', () => {
  it('keeps the retweet text when the included original has no text', () => {
    const t = normalizeParsed(
      envelope(
        { text: 'RT @bob: $BTC up', referenced_tweets: [{ type: 'retweeted', id: '7' }] },
        { includes: { tweets: [{ id: '7' }] } },
      ),
    );
    expect(t).toMatchObject({ kind: 'tweet', text: 'RT @bob: $BTC up', retweetOf: '7' });
  });

  it('keeps the retweet text when the original is not included at all', () => {
    const t = normalizeParsed(
      envelope({ text: 'RT @bob: $BTC up', referenced_tweets: [{ type: 'retweeted', id: '7' }] }),
    );
    expect(t).toMatchObject({ kind: 'tweet', text: 'RT @bob: $BTC up', retweetOf: '7' });
  });
});
