import fc from 'fast-check';
import { asapScheduler, concatMap, from, lastValueFrom, scheduled, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createHourlyWindows, type WatermarkAdvance } from '../../operators/hourly-windows.js';
import { dropped } from '../../operators/tally-drops.js';
import type { Bucket, Dropped, ScoredTweet } from '../../operators/types.js';
import { windowByHour } from '../../operators/window-by-hour.js';
import { HOUR, MINUTE, runningTimes, scored, T0, testScheduler } from './support.js';

const at = (minutes: number, overrides: Partial<ScoredTweet> = {}): ScoredTweet =>
  scored({ id: String(minutes), createdAt: T0 + minutes * MINUTE, ...overrides });

function run(items: readonly (ScoredTweet | WatermarkAdvance)[], options = {}): (Bucket | Dropped)[] {
  const windows = createHourlyWindows(options);
  return [...items.flatMap((i) => windows.step(i)), ...windows.flush()];
}

describe('createHourlyWindows', () => {
  it('aggregates one bucket per hour and symbol with the documented fields', () => {
    const out = run([
      at(1, { score: 0.6, weight: 2, authorId: 'a' }),
      at(20, { score: -0.4, weight: 1, authorId: 'b' }),
      at(59, { score: 0.01, weight: 1, authorId: 'a' }),
    ]);
    expect(out).toEqual([
      {
        kind: 'bucket',
        symbol: 'BTC',
        start: T0,
        count: 3,
        scoreSum: 0.21,
        scoreMean: 0.07,
        weightSum: 4,
        weightedScoreSum: 0.81,
        weightedMean: 0.2025,
        positive: 1,
        negative: 1,
        neutral: 1,
        distinctAuthors: 2,
        firstEventTime: T0 + MINUTE,
        lastEventTime: T0 + 59 * MINUTE,
      },
    ]);
  });

  it('counts a tweet for each of its symbols', () => {
    const out = run([at(5, { symbols: ['BTC', 'ETH'] })]) as Bucket[];
    expect(out.map((b) => [b.symbol, b.count])).toEqual([
      ['BTC', 1],
      ['ETH', 1],
    ]);
  });

  it('closes a bucket when the watermark passes its end plus the allowed lateness', () => {
    const windows = createHourlyWindows({ maxOutOfOrdernessMs: 5 * MINUTE, allowedLatenessMs: 10 * MINUTE });
    expect(windows.step(at(10))).toEqual([]);
    expect(windows.step(at(74))).toEqual([]); // watermark 69 min < 70
    const closed = windows.step(at(75)); // watermark 70 min = end + lateness
    expect(closed).toMatchObject([{ kind: 'bucket', start: T0, count: 1 }]);
    expect(windows.openBuckets).toBe(1);
  });

  it('drops a tweet whose bucket has closed as late, and counts it nowhere else', () => {
    const windows = createHourlyWindows({ maxOutOfOrdernessMs: 0, allowedLatenessMs: 0 });
    windows.step(at(10));
    windows.step(at(61));
    expect(windows.step(at(30))).toMatchObject([
      { kind: 'dropped', stage: 'window', reason: 'late', tweetId: '30' },
    ]);
    expect(windows.flush()).toMatchObject([{ start: T0 + HOUR, count: 1 }]);
  });

  it('accepts a tweet within the out-of-orderness bound', () => {
    const out = run([at(10), at(63), at(58)], {
      maxOutOfOrdernessMs: 5 * MINUTE,
      allowedLatenessMs: 0,
    }) as Bucket[];
    expect(out.map((b) => b.count)).toEqual([2, 1]);
  });

  it('closes buckets on an explicit watermark advance without new tweets', () => {
    const windows = createHourlyWindows({ allowedLatenessMs: 0 });
    windows.step(at(10));
    expect(windows.step({ kind: 'watermark', time: T0 + 30 * MINUTE })).toEqual([]);
    expect(windows.step({ kind: 'watermark', time: T0 + HOUR })).toMatchObject([{ start: T0 }]);
    expect(windows.watermark).toBe(T0 + HOUR);
  });

  it('never moves the watermark backwards', () => {
    const windows = createHourlyWindows({ allowedLatenessMs: 0 });
    windows.step({ kind: 'watermark', time: T0 + HOUR });
    windows.step({ kind: 'watermark', time: T0 });
    expect(windows.watermark).toBe(T0 + HOUR);
  });

  it('emits in order of bucket start, then symbol', () => {
    const out = run(
      [at(70, { symbols: ['XRP'] }), at(10, { symbols: ['SOL'] }), at(11, { symbols: ['ADA', 'BTC'] })],
      {
        maxOutOfOrdernessMs: HOUR,
      },
    ) as Bucket[];
    expect(out.map((b) => `${(b.start - T0) / HOUR}:${b.symbol}`)).toEqual([
      '0:ADA',
      '0:BTC',
      '0:SOL',
      '1:XRP',
    ]);
  });

  it('resumes after a restart without re-emitting buckets closed before it', () => {
    const windows = createHourlyWindows({ initialWatermark: T0 + HOUR, allowedLatenessMs: 0 });
    expect(windows.step(at(30))).toMatchObject([{ reason: 'closed_before_resume' }]);
    windows.step(at(90));
    expect(windows.flush()).toMatchObject([{ start: T0 + HOUR, count: 1 }]);
  });

  it('counts distinct authors exactly up to the bound, then counts new ones without storing them', () => {
    const out = run(
      [
        at(1, { authorId: 'a' }),
        at(2, { authorId: 'b' }),
        at(3, { authorId: 'c' }),
        at(4, { authorId: 'a' }),
      ],
      {
        maxAuthorsPerBucket: 2,
      },
    ) as Bucket[];
    expect(out[0]!.distinctAuthors).toBe(3);
  });

  it('classifies scores with the neutral band from options', () => {
    const out = run([at(1, { score: 0.15 }), at(2, { score: -0.15 }), at(3, { score: 0.3 })], {
      neutralBand: 0.2,
    }) as Bucket[];
    expect([out[0]!.positive, out[0]!.negative, out[0]!.neutral]).toEqual([1, 0, 2]);
  });

  it('gives zero weighted mean when all weights are zero', () => {
    const out = run([at(1, { weight: 0 })]) as Bucket[];
    expect(out[0]!.weightedMean).toBe(0);
  });
});

describe('createHourlyWindows properties', () => {
  const ooo = 10 * MINUTE;
  // Tweets in time order with scores/weights/authors/symbols; times spread over ~5 hours.
  const arbTweets = fc.array(
    fc.record({
      dt: fc.integer({ min: 0, max: 3 * MINUTE }),
      score: fc.double({ min: -1, max: 1, noNaN: true }),
      weight: fc.double({ min: 0, max: 5, noNaN: true }),
      author: fc.constantFrom('a', 'b', 'c', 'd'),
      symbols: fc.constantFrom(['BTC'], ['ETH'], ['BTC', 'ETH']),
    }),
    { maxLength: 150 },
  );
  const build = (
    rows: { dt: number; score: number; weight: number; author: string; symbols: readonly string[] }[],
  ) => {
    let t = T0;
    return rows.map((r, i) => {
      t += r.dt;
      return scored({
        id: String(i),
        createdAt: t,
        score: r.score,
        weight: r.weight,
        authorId: r.author,
        symbols: r.symbols,
      });
    });
  };

  it('gives identical buckets for any shuffle within the out-of-orderness bound', () => {
    fc.assert(
      fc.property(
        arbTweets,
        fc.array(fc.integer({ min: 0, max: ooo }), { maxLength: 150 }),
        (rows, delays) => {
          const ordered = build(rows);
          // Each tweet is delivered at (its time + a delay <= bound): a legal disorder.
          const shuffled = ordered
            .map((t, i) => ({ t, key: t.createdAt + (delays[i] ?? 0), i }))
            .sort((x, y) => x.key - y.key || x.i - y.i)
            .map((x) => x.t);
          const options = { maxOutOfOrdernessMs: ooo, allowedLatenessMs: 0 };
          expect(run(shuffled, options)).toEqual(run(ordered, options));
        },
      ),
    );
  });

  it('gives the same output when watermark advances are interleaved at arbitrary points before the data', () => {
    fc.assert(
      fc.property(arbTweets, fc.array(fc.nat(150)), (rows, cuts) => {
        const tweets = build(rows);
        const withMarks: (ScoredTweet | WatermarkAdvance)[] = [];
        tweets.forEach((t, i) => {
          if (cuts.includes(i)) withMarks.push({ kind: 'watermark', time: t.createdAt - 20 * MINUTE });
          withMarks.push(t);
        });
        const options = { maxOutOfOrdernessMs: 10 * MINUTE };
        expect(run(withMarks, options)).toEqual(run(tweets, options));
      }),
    );
  });
});

describe('windowByHour', () => {
  const a = at(10);
  const b = at(70);
  const d = dropped('filter', 'language', 'x', '1', T0);
  const B0 = expect.objectContaining({ kind: 'bucket', start: T0, count: 1 });
  const B1 = expect.objectContaining({ kind: 'bucket', start: T0 + HOUR, count: 1 });
  const options = { maxOutOfOrdernessMs: 0, allowedLatenessMs: 0 };

  it('completes at once on an empty source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<ScoredTweet>('|').pipe(windowByHour())).toBe('|');
    });
  });

  it('flushes a single open bucket on completion', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a }).pipe(windowByHour())).toBe('--(x|)', { x: B0 });
    });
  });

  it('closes buckets as event time moves, passing drops through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-d-b-|', { a, b, d }).pipe(windowByHour(options))).toBe('---d-x-(y|)', {
        d,
        x: B0,
        y: B1,
      });
    });
  });

  it('closes on an explicit watermark on a never-ending source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const w: WatermarkAdvance = { kind: 'watermark', time: T0 + HOUR };
      expectObservable(cold('-a-w-', { a, w }).pipe(windowByHour(options))).toBe('---x-', { x: B0 });
    });
  });

  it('forwards a source error without flushing', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#', { a }).pipe(windowByHour())).toBe('---#');
    });
  });

  it('unsubscribes from the source on early unsubscribe and emits nothing more', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|', { a, b });
      expectObservable(source.pipe(windowByHour(options)), '^-!').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('turns an exception while reading a tweet into an error notification', () => {
    const hostile = {
      ...a,
      get symbols(): string[] {
        throw new Error('hostile');
      },
    } as ScoredTweet;
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-h-b', { a, h: hostile, b }).pipe(windowByHour())).toBe(
        '---#',
        undefined,
        new Error('hostile'),
      );
    });
  });

  it('gives identical output for any chunking of the input, delivered asynchronously', async () => {
    const tweets = [at(5), at(50), at(61), at(62, { symbols: ['ETH'] }), at(130), at(131), at(200)];
    const whole = await lastValueFrom(from(tweets).pipe(windowByHour(options), toArray()));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 7, maxLength: 7 }),
        async (sizes) => {
          const chunks: ScoredTweet[][] = [];
          for (let i = 0, k = 0; i < tweets.length; k++) {
            chunks.push(tweets.slice(i, i + sizes[k]!));
            i += sizes[k]!;
          }
          const chunked$ = from(chunks).pipe(concatMap((chunk) => scheduled(chunk, asapScheduler)));
          expect(await lastValueFrom(chunked$.pipe(windowByHour(options), toArray()))).toEqual(whole);
        },
      ),
    );
  });
});

describe('createHourlyWindows with several sources', () => {
  const options = { maxOutOfOrdernessMs: 0, allowedLatenessMs: 0, sources: [0, 1] };

  it('closes a bucket only when every source has passed it', () => {
    const windows = createHourlyWindows(options);
    windows.step(at(10), 0);
    expect(windows.step(at(70), 0)).toEqual([]);
    expect(windows.step(at(65), 1)).toMatchObject([{ start: T0, count: 1 }]);
  });

  it('advances every source on a watermark without a source', () => {
    const windows = createHourlyWindows(options);
    windows.step(at(10), 0);
    expect(windows.step({ kind: 'watermark', time: T0 + HOUR })).toMatchObject([{ start: T0 }]);
  });

  it('needs the source of a tweet, and a known one', () => {
    const windows = createHourlyWindows(options);
    expect(() => windows.step(at(10))).toThrow(RangeError);
    expect(() => windows.step(at(10), 7)).toThrow(RangeError);
  });

  it('gives identical output for any interleaving of the sources', () => {
    const arbSource = fc
      .array(fc.integer({ min: 0, max: 20 * MINUTE }), { maxLength: 40 })
      .map((gaps) => runningTimes(gaps));
    fc.assert(
      fc.property(arbSource, arbSource, fc.array(fc.boolean(), { maxLength: 80 }), (s0, s1, picks) => {
        const tweetsOf = (times: number[], source: number) =>
          times.map((t, i) =>
            scored({ id: `${source}-${i}`, createdAt: t, symbols: source === 0 ? ['BTC'] : ['BTC', 'ETH'] }),
          );
        const a = tweetsOf(s0, 0);
        const b = tweetsOf(s1, 1);
        const interleave = (choose: (k: number) => boolean) => {
          const w = createHourlyWindows({ ...options, maxOutOfOrdernessMs: 5 * MINUTE });
          const out: (Bucket | Dropped)[] = [];
          let i = 0;
          let j = 0;
          for (let k = 0; i < a.length || j < b.length; k++) {
            if (j >= b.length || (i < a.length && choose(k))) out.push(...w.step(a[i++]!, 0));
            else out.push(...w.step(b[j++]!, 1));
          }
          return [...out, ...w.flush()];
        };
        expect(interleave((k) => picks[k] ?? true)).toEqual(interleave(() => true));
      }),
    );
  });
});

describe('createHourlyWindows snapshots', () => {
  it('resumes from a JSON round-tripped snapshot exactly where it stopped', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 9 * MINUTE }),
            score: fc.double({ min: -1, max: 1, noNaN: true }),
          }),
          {
            maxLength: 80,
          },
        ),
        fc.nat(80),
        (rows, cut) => {
          const times = runningTimes(rows.map((r) => r.dt));
          const tweets = rows.map((r, i) =>
            scored({ id: String(i), createdAt: times[i]!, score: r.score, authorId: `a${i % 3}` }),
          );
          const options = { maxOutOfOrdernessMs: 5 * MINUTE, allowedLatenessMs: 0 };
          const straight = run(tweets, options);
          const first = createHourlyWindows(options);
          const before = tweets.slice(0, cut).flatMap((x) => first.step(x));
          const resumed = createHourlyWindows(options, JSON.parse(JSON.stringify(first.snapshot())));
          const after = [...tweets.slice(cut).flatMap((x) => resumed.step(x)), ...resumed.flush()];
          expect([...before, ...after]).toEqual(straight);
        },
      ),
    );
  });

  it('resumes a source that had no input yet without a watermark: its earlier tweets still count', () => {
    // Source 1 was held elsewhere (another group member) when the snapshot was taken.
    const options = { maxOutOfOrdernessMs: 0, allowedLatenessMs: 0, sources: [0, 1] };
    const first = createHourlyWindows(options);
    first.step(at(10), 0);
    first.step(at(130), 0);
    const snapshot = JSON.parse(JSON.stringify(first.snapshot()));
    expect(snapshot.watermarks['1']).toBeNull();
    const resumed = createHourlyWindows(options, snapshot);
    expect(resumed.step(at(20), 1)).toEqual([]);
    expect([...resumed.step(at(140), 1), ...resumed.flush()]).toMatchObject([
      { start: T0, count: 2 },
      { start: T0 + 2 * HOUR, count: 2 },
    ]);
  });

  it('drops tweets for buckets closed before the snapshot as closed_before_resume', () => {
    const first = createHourlyWindows({ maxOutOfOrdernessMs: 0, allowedLatenessMs: 0 });
    first.step(at(10));
    first.step(at(70));
    const resumed = createHourlyWindows({ maxOutOfOrdernessMs: 0, allowedLatenessMs: 0 }, first.snapshot());
    expect(resumed.step(at(20))).toMatchObject([{ reason: 'closed_before_resume' }]);
  });

  it('resumes from a snapshot that holds its authors as ids (the form written before authorKeys)', () => {
    const options = { maxOutOfOrdernessMs: 0, allowedLatenessMs: 0 };
    const tweets = ['a', 'b', 'c', 'a'].map((authorId, i) => at(i + 1, { authorId }));
    const first = createHourlyWindows(options);
    for (const t of tweets.slice(0, 3)) first.step(t);
    const { buckets, ...rest } = first.snapshot();
    const older = {
      ...rest,
      buckets: buckets.map(({ authorKeys, ...b }) => ({ ...b, authors: ['a', 'b', 'c'] })),
    };
    const resumed = createHourlyWindows(options, JSON.parse(JSON.stringify(older)));
    resumed.step(tweets[3]!);
    resumed.step(at(5, { authorId: 'd' }));
    expect(resumed.flush()).toMatchObject([{ count: 5, distinctAuthors: 4 }]);
  });
});
