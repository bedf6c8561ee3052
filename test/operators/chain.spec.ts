import fc from 'fast-check';
import { asapScheduler, concatMap, from, lastValueFrom, type Observable, scheduled, toArray } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import {
  createScoringModel,
  createStrategy,
  dedupeTweets,
  emitDecisions,
  filterTweets,
  normalizeEnvelopes,
  scoreTweets,
  windowByHour,
} from '../../operators/index.js';
import { generateEnvelopes } from '../../pipeline/sources/synthetic.js';

const payloads = [...generateEnvelopes({ seed: 99, count: 3000, tweetsPerSecond: 0.1 })].map((e) =>
  JSON.stringify(e),
);
const model = createScoringModel();
const strategy = createStrategy('zscore', { lookback: 6, minHistory: 2, minCount: 3, threshold: 1 });

const upToScore = (source: Observable<string>) =>
  source.pipe(normalizeEnvelopes(), dedupeTweets(), filterTweets(), scoreTweets(model));
const chain = (source: Observable<string>) =>
  upToScore(source).pipe(windowByHour(), emitDecisions({ strategy }));

// Each run pushes thousands of envelopes through the whole chain; the machine may be shared.
vi.setConfig({ testTimeout: 30_000 });

describe('the operator chain', () => {
  it('turns every input into exactly one scored tweet or one drop, in order', async () => {
    const out = await lastValueFrom(upToScore(from(payloads)).pipe(toArray()));
    expect(out).toHaveLength(payloads.length);
    expect(out.every((x) => x.kind === 'scored' || x.kind === 'dropped')).toBe(true);
    const kinds = new Set(out.map((x) => (x.kind === 'dropped' ? `${x.stage}` : x.kind)));
    expect([...kinds].sort()).toEqual(['dedupe', 'filter', 'scored']);
  });

  it('makes one decision per closed bucket', async () => {
    const out = await lastValueFrom(chain(from(payloads)).pipe(toArray()));
    const buckets = out.filter((x) => x.kind === 'bucket');
    const decisions = out.filter((x) => x.kind === 'decision');
    expect(buckets.length).toBeGreaterThan(30);
    expect(new Set(decisions.map((d) => d.action))).toEqual(new Set(['BUY', 'SELL', 'HOLD']));
    expect(decisions.map((d) => `${d.symbol}@${d.bucketStart}`)).toEqual(
      buckets.map((b) => `${b.symbol}@${b.start}`),
    );
  });

  it('gives identical output for any chunking of the input, delivered asynchronously', async () => {
    const whole = await lastValueFrom(chain(from(payloads)).pipe(toArray()));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 12 }),
        async (sizes) => {
          const chunks: string[][] = [];
          for (let i = 0, k = 0; i < payloads.length; k++) {
            const size = sizes[k % sizes.length]!;
            chunks.push(payloads.slice(i, i + size));
            i += size;
          }
          const chunked$ = from(chunks).pipe(concatMap((chunk) => scheduled(chunk, asapScheduler)));
          expect(await lastValueFrom(chain(chunked$).pipe(toArray()))).toEqual(whole);
        },
      ),
      { numRuns: 5 },
    );
  }, 30_000);

  it('decides the same on a second run over the same input (replay = live)', async () => {
    const first = await lastValueFrom(chain(from(payloads)).pipe(toArray()));
    const second = await lastValueFrom(chain(from(payloads)).pipe(toArray()));
    expect(second).toEqual(first);
  });
});
