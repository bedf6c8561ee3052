import { describe, expect, it } from 'vitest';
import { normalizeEnvelopes } from '../../operators/normalize-envelopes.js';
import { envelope, testScheduler } from './support.js';

const good = JSON.stringify(envelope());
const bad = '{"data":';

describe('normalizeEnvelopes', () => {
  it('completes at once on an empty source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(normalizeEnvelopes())).toBe('|');
    });
  });

  it('emits one tweet for a single payload', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a: good }).pipe(normalizeEnvelopes())).toBe('-t|', {
        t: expect.objectContaining({ kind: 'tweet', id: '1800000000000000001' }),
      });
    });
  });

  it('emits one item per payload, rejections in place', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-a|', { a: good, b: bad }).pipe(normalizeEnvelopes())).toBe('-t-d-t|', {
        t: expect.objectContaining({ kind: 'tweet' }),
        d: expect.objectContaining({ kind: 'dropped', reason: 'invalid_json' }),
      });
    });
  });

  it('forwards a source error after what came before', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#', { a: good }, new Error('boom')).pipe(normalizeEnvelopes())).toBe(
        '-t-#',
        { t: expect.objectContaining({ kind: 'tweet' }) },
        new Error('boom'),
      );
    });
  });

  it('keeps going on a never-ending source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-', { a: good }).pipe(normalizeEnvelopes())).toBe('-t-', {
        t: expect.objectContaining({ kind: 'tweet' }),
      });
    });
  });

  it('unsubscribes from the source when the subscriber leaves early', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-a-a-a|', { a: good });
      expectObservable(source.pipe(normalizeEnvelopes()), '^--!').toBe('-t-', {
        t: expect.objectContaining({ kind: 'tweet' }),
      });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('turns a payload that throws when read into a rejection, not an error', () => {
    const hostile = {
      get byteLength(): number {
        throw new Error('hostile');
      },
    } as unknown as string;
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a: hostile }).pipe(normalizeEnvelopes())).toBe('-d|', {
        d: expect.objectContaining({ kind: 'dropped', stage: 'normalize' }),
      });
    });
  });
});
