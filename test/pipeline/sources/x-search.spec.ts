import { pino } from 'pino';
import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckpointItem, EnvelopeItem, IngestItem } from '../../../pipeline/sources/types.js';
import { createXClient } from '../../../pipeline/sources/x-client.js';
import { createXSearch$, searchStateKey } from '../../../pipeline/sources/x-search.js';
import { type FakeXServer, type SearchTweet, startFakeXServer } from '../../support/fake-x-server.js';
import { ManualScheduler } from './manual-scheduler.js';

const logger = pino({ level: 'silent' });
const QUERY = '$BTC OR bitcoin';

function searchTweet(n: number): SearchTweet {
  return {
    data: {
      id: String(1_800_000_000_000_000_000n + BigInt(n)),
      text: `$BTC search hit ${n}`,
      created_at: new Date(Date.UTC(2026, 0, 1, 12, 0, n)).toISOString(),
      author_id: String(100 + (n % 3)),
    },
    author: { id: String(100 + (n % 3)), username: `user${n % 3}`, public_metrics: { followers_count: n } },
  };
}
const idOf = (n: number): string => searchTweet(n).data.id;

describe('x-search source against the fake X server', () => {
  let server: FakeXServer;
  let subscription: Subscription | undefined;
  let items: IngestItem[];
  let failure: unknown;

  const until = async (predicate: () => boolean): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!predicate()) {
      if (failure !== undefined) throw failure;
      if (Date.now() > deadline) throw new Error(`condition not met; ${items.length} items so far`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const envelopeIds = () => items.filter((i): i is EnvelopeItem => i.kind === 'envelope').map((i) => i.id);
  const checkpoints = () => items.filter((i): i is CheckpointItem => i.kind === 'checkpoint');

  const start = async (
    scheduler: ManualScheduler,
    sinceId: string | null,
    tweets: readonly SearchTweet[],
    rate?: { limit: number },
  ) => {
    server = await startFakeXServer({
      nowSeconds: () => Math.floor(scheduler.now() / 1000),
      ...(rate ? { searchRateLimit: { limit: rate.limit, windowSeconds: 900 } } : {}),
    });
    server.addSearchTweets(...tweets);
    items = [];
    failure = undefined;
    const client = createXClient({ bearerToken: 'test-token', apiUrl: server.url, ca: server.ca });
    subscription = createXSearch$({
      client,
      logger,
      query: QUERY,
      sinceId,
      maxResults: 10,
      intervalMs: 60_000,
      scheduler,
    }).subscribe({ next: (i) => items.push(i), error: (e: unknown) => (failure = e) });
  };

  afterEach(async () => {
    subscription?.unsubscribe();
    await server.close();
  });

  it('pages through next_token from the stored since_id, re-wraps tweets, and checkpoints the newest id', async () => {
    const scheduler = new ManualScheduler();
    await start(
      scheduler,
      idOf(0),
      Array.from({ length: 25 }, (_, i) => searchTweet(i + 1)),
    );
    await until(() => checkpoints().length >= 1);

    const first = server.searchRequests[0]!;
    expect(first.get('since_id')).toBe(idOf(0));
    expect(first.get('query')).toBe(QUERY);
    expect(first.get('expansions')).toBe('author_id,referenced_tweets.id');
    expect(envelopeIds().sort()).toEqual(Array.from({ length: 25 }, (_, i) => idOf(i + 1)).sort());
    expect(server.searchRequests.map((q) => q.get('next_token'))).toEqual([null, 't10', 't20']);
    const envelope = JSON.parse((items[0] as EnvelopeItem).json);
    expect(envelope.matching_rules).toEqual([]);
    expect(envelope.data.id).toBe(idOf(25));
    expect(envelope.includes.users).toHaveLength(1);
    expect(envelope.includes.users[0]).toMatchObject({ id: envelope.data.author_id, username: 'user1' });
    expect(checkpoints()).toEqual([
      { kind: 'checkpoint', key: searchStateKey(QUERY), value: JSON.stringify({ sinceId: idOf(25) }) },
    ]);

    // One interval later: only what is newer than the checkpoint.
    server.addSearchTweets(searchTweet(26), searchTweet(27));
    scheduler.advance(60_000);
    await until(() => checkpoints().length === 2);
    expect(server.searchRequests[3]!.get('since_id')).toBe(idOf(25));
    expect(envelopeIds().slice(25).sort()).toEqual([idOf(26), idOf(27)]);
  });

  it('resumes from the stored since_id after a restart without re-fetching', async () => {
    const scheduler = new ManualScheduler();
    await start(
      scheduler,
      idOf(25),
      Array.from({ length: 27 }, (_, i) => searchTweet(i + 1)),
    );
    await until(() => checkpoints().length === 1);
    expect(envelopeIds().sort()).toEqual([idOf(26), idOf(27)]);
  });

  it('waits for the rate-limit reset when the window is used up', async () => {
    const scheduler = new ManualScheduler(Date.UTC(2026, 0, 1, 0, 0, 0));
    await start(
      scheduler,
      idOf(0),
      Array.from({ length: 25 }, (_, i) => searchTweet(i + 1)),
      { limit: 2 },
    );
    await until(() => envelopeIds().length === 20);
    // Two requests used the window (reset = start + 900 s); the third waits for it.
    await scheduler.whenScheduled(900_000);
    expect(server.searchRequests).toHaveLength(2);
    scheduler.advance(900_000);
    await until(() => checkpoints().length === 1);
    expect(server.searchRequests).toHaveLength(3);
    expect(envelopeIds()).toHaveLength(25);
  });
});
