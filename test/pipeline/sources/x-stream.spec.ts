import { pino } from 'pino';
import type { Subscription } from 'rxjs';
import { ETwitterStreamEvent } from 'twitter-api-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RejectedError } from '../../../lib/errors.js';
import type { RawEnvelope } from '../../../operators/types.js';
import type { EnvelopeItem, IngestItem } from '../../../pipeline/sources/types.js';
import { createXClient } from '../../../pipeline/sources/x-client.js';
import { addRules, removeRules } from '../../../pipeline/sources/x-rules.js';
import { createXStream$, X_STALL_TIMEOUT_MS } from '../../../pipeline/sources/x-stream.js';
import { type FakeXServer, startFakeXServer } from '../../support/fake-x-server.js';
import { waitFor } from '../../support/servers.js';
import { ManualScheduler } from './manual-scheduler.js';

const logger = pino({ level: 'silent' });

function tweet(n: number, text = `$BTC to the moon 🚀 number ${n}`): RawEnvelope {
  return {
    data: {
      id: String(1_800_000_000_000_000_000n + BigInt(n)),
      text,
      created_at: new Date(Date.UTC(2026, 0, 1, 12, 0, n)).toISOString(),
      author_id: '42',
      lang: 'en',
    },
    includes: { users: [{ id: '42', username: 'satoshi', public_metrics: { followers_count: 1000 } }] },
  };
}

describe('x-stream source against the fake X server', () => {
  let server: FakeXServer;
  let scheduler: ManualScheduler;
  let items: IngestItem[];
  let failure: unknown;
  let subscription: Subscription | undefined;

  const client = (token = 'test-token') =>
    createXClient({ bearerToken: token, apiUrl: server.url, ca: server.ca });
  const ids = (): string[] => items.filter((i): i is EnvelopeItem => i.kind === 'envelope').map((i) => i.id);
  const start = (token?: string): void => {
    subscription = createXStream$({ client: client(token), logger, scheduler }).subscribe({
      next: (item) => items.push(item),
      error: (error: unknown) => {
        failure = error;
      },
    });
  };
  // Items arrive in the client after the server's write completes: poll the client side with a deadline.
  const until = (check: () => boolean, what: string): Promise<unknown> =>
    waitFor(check, { timeoutMs: 5000, intervalMs: 5, what });
  const untilItems = (count: number) => until(() => ids().length >= count, `${count} items`);
  const untilFailure = () => until(() => failure !== undefined, 'the source to fail');

  beforeEach(async () => {
    server = await startFakeXServer();
    scheduler = new ManualScheduler();
    items = [];
    failure = undefined;
    await addRules(client(), [{ value: '$BTC OR bitcoin', tag: 'BTC' }]);
  });

  afterEach(async () => {
    subscription?.unsubscribe();
    await server.close();
  });

  it('delivers matching tweets with the expansions and fields the operators need', async () => {
    start();
    await server.until((s) => s.openStreams === 1);
    for (let n = 1; n <= 3; n++) server.publish(tweet(n));
    await untilItems(3);

    expect(ids()).toEqual([tweet(1), tweet(2), tweet(3)].map((t) => t.data.id));
    const first = items[0] as EnvelopeItem;
    expect(first.createdAt).toBe(Date.UTC(2026, 0, 1, 12, 0, 1));
    expect(JSON.parse(first.json).matching_rules[0].tag).toBe('BTC');
    expect(JSON.parse(first.json).data.text).toContain('🚀');
    const query = server.connections[0]!.query;
    expect(query.get('expansions')).toBe('author_id,referenced_tweets.id');
    expect(query.get('user.fields')).toBe('public_metrics,created_at,username');
    expect(query.get('tweet.fields')).toBe(
      'created_at,lang,public_metrics,referenced_tweets,entities,author_id',
    );
  });

  it('reconnects at once after a drop mid-line and loses or repeats no tweet', async () => {
    for (let n = 1; n <= 5; n++) server.publish(tweet(n));
    server.script({ type: 'drop-mid-line', afterLines: 2 });
    start();
    await scheduler.whenScheduled(0);
    expect(ids()).toHaveLength(2);
    scheduler.advance(0);
    await untilItems(5);

    expect(ids()).toEqual([1, 2, 3, 4, 5].map((n) => tweet(n).data.id));
    expect(items.filter((i) => i.kind === 'reject')).toEqual([]);
    expect(server.connections.map((c) => c.behaviour)).toEqual(['drop-mid-line', 'serve']);
  });

  it('treats 20 s without data or keep-alive as a stall and reconnects', async () => {
    server.script({ type: 'stall' });
    start();
    await server.until((s) => s.connections.length === 1);
    await scheduler.whenScheduled(X_STALL_TIMEOUT_MS);
    scheduler.advance(X_STALL_TIMEOUT_MS - 1);
    expect(server.connections).toHaveLength(1);
    scheduler.advance(1);
    // The stall closed the connection and the reconnect ran at once (delay 0), arming a new stall timer.
    expect(scheduler.history.slice(-2)).toEqual([0, X_STALL_TIMEOUT_MS]);
    await server.until((s) => s.connections.length === 2 && s.openStreams === 1);
    server.publish(tweet(7));
    await untilItems(1);
    expect(ids()).toEqual([tweet(7).data.id]);
  });

  it('keeps a quiet connection open while keep-alive newlines arrive', async () => {
    // Sync point: the library's own keep-alive event on the stream the source opened. Its listeners run
    // in one emit, so once it fired here the source has seen the keep-alive too.
    const x = client();
    let keepAlives = 0;
    const searchStream = x.v2.searchStream.bind(x.v2);
    x.v2.searchStream = ((...args: Parameters<typeof searchStream>) => {
      const stream = searchStream(...args);
      // The source asks for the stream unconnected (autoConnect: false), which returns it at once.
      if (stream instanceof Promise) throw new Error('the source asked for a connected stream');
      stream.on(ETwitterStreamEvent.DataKeepAlive, () => keepAlives++);
      return stream;
    }) as typeof x.v2.searchStream;
    // And the source's 'connected' log: the connect touches the watch too, so it must come before the
    // clock moves, or it would stand in for the keep-alive.
    const messages: string[] = [];
    const seen = pino(
      { level: 'info' },
      { write: (line: string) => void messages.push(JSON.parse(line).msg) },
    );
    subscription = createXStream$({ client: x, logger: seen, scheduler }).subscribe((item) =>
      items.push(item),
    );
    await until(() => messages.includes('x stream connected'), 'the source to connect');
    scheduler.advance(15_000);
    server.keepAlive();
    await until(() => keepAlives > 0, 'the keep-alive newline');
    // 20 s after the keep-alive (t = 35 s), not after the connect (t = 20 s), the connection stalls.
    scheduler.advance(X_STALL_TIMEOUT_MS - 1);
    expect(server.connections).toHaveLength(1);
    const before = scheduler.history.length;
    scheduler.advance(1);
    // The stall closed the connection, the reconnect ran at once and armed the new one's stall watch.
    expect(scheduler.history.slice(before)).toEqual([0, X_STALL_TIMEOUT_MS]);
    await server.until((s) => s.connections.length === 2);
  });

  it('waits until the rate-limit reset after a 429 that carries it', async () => {
    const reset = Math.floor(scheduler.now() / 1000) + 42;
    server.script({
      type: 'status',
      status: 429,
      body: { title: 'Too Many Requests', detail: 'Too Many Requests' },
      headers: {
        'x-rate-limit-limit': '50',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(reset),
      },
    });
    start();
    await scheduler.whenScheduled(42_000);
    scheduler.advance(42_000);
    await server.until((s) => s.openStreams === 1);
    expect(server.connections.map((c) => c.status)).toEqual([429, 200]);
  });

  it('backs off exponentially from one minute on 429s without a reset header', async () => {
    const tooMany = { type: 'status', status: 429, body: { title: 'Too Many Requests' } } as const;
    server.script(tooMany, tooMany);
    start();
    await scheduler.whenScheduled(60_000);
    scheduler.advance(60_000);
    await scheduler.whenScheduled(120_000);
    scheduler.advance(120_000);
    await server.until((s) => s.openStreams === 1);
  });

  it('backs off exponentially from 5 s on 503s, then streams', async () => {
    const unavailable = { type: 'status', status: 503, body: { title: 'Service Unavailable' } } as const;
    server.script(unavailable, unavailable, unavailable);
    start();
    for (const delay of [5000, 10_000, 20_000]) {
      await scheduler.whenScheduled(delay);
      scheduler.advance(delay);
    }
    await server.until((s) => s.openStreams === 1);
    server.publish(tweet(9));
    await untilItems(1);
    expect(server.connections.map((c) => c.status)).toEqual([503, 503, 503, 200]);
  });

  it('ends with one clear error on 401 and does not retry', async () => {
    start('wrong-token');
    await untilFailure();

    expect(failure).toBeInstanceOf(RejectedError);
    expect((failure as Error).message).toMatch(/401 Unauthorized.*X_BEARER_TOKEN/);
    expect(scheduler.pendingDelays()).toEqual([]);
  });

  it('ends with one clear error on 429 TooManyConnections', async () => {
    server.script({
      type: 'status',
      status: 429,
      body: {
        title: 'ConnectionException',
        detail: 'This stream is currently at the maximum allowed connection limit.',
        connection_issue: 'TooManyConnections',
        type: 'https://api.twitter.com/2/problems/streaming-connection',
      },
    });
    start();
    await untilFailure();

    expect(failure).toBeInstanceOf(RejectedError);
    expect((failure as Error).message).toMatch(/too many connections/);
    expect(scheduler.pendingDelays()).toEqual([]);
  });

  it('stops reading the socket while the sink is not ready, and resumes without a reconnect', async () => {
    let release: () => void = () => undefined;
    let ready = true;
    const demand = {
      ready: () => {
        if (ready) return undefined;
        return new Promise<void>((resolve) => {
          release = () => {
            ready = true;
            resolve();
          };
        });
      },
    };
    subscription = createXStream$({ client: client(), logger, scheduler, demand }).subscribe((item) => {
      items.push(item);
      ready = false; // one item fills the sink
    });
    await server.until((s) => s.openStreams === 1);
    server.publish(tweet(1));
    await untilItems(1);
    // While paused the stall timer is off: we are the ones holding back, not X.
    expect(scheduler.pendingDelays()).toEqual([]);
    // Large tweets so that the paused socket's buffers fill up instead of taking everything in.
    for (let n = 2; n <= 400; n++) server.publish(tweet(n, `$BTC ${'x'.repeat(4000)} ${n}`));
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    const whilePaused = ids().length;
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(ids().length).toBe(whilePaused);
    expect(whilePaused).toBeLessThan(400);

    const drain = async (): Promise<void> => {
      const deadline = Date.now() + 5000;
      while (ids().length < 400) {
        if (Date.now() > deadline) throw new Error(`only ${ids().length} of 400 arrived`);
        release();
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await drain();
    expect(new Set(ids()).size).toBe(400);
    expect(server.connections).toHaveLength(1);
  });

  it('applies rule changes to the running connection without reconnecting', async () => {
    start();
    await server.until((s) => s.openStreams === 1);
    expect(server.publish(tweet(1, 'ethereum gas is cheap today'))).toBe(false);

    await addRules(client(), [{ value: 'ethereum OR $ETH', tag: 'ETH' }]);
    await removeRules(client(), ['BTC']);
    server.publish(tweet(2, 'ethereum gas is cheap today'));
    expect(server.publish(tweet(3, '$BTC only'))).toBe(false);
    await untilItems(1);

    expect(ids()).toEqual([tweet(2).data.id]);
    expect(JSON.parse((items[0] as EnvelopeItem).json).matching_rules[0].tag).toBe('ETH');
    expect(server.connections).toHaveLength(1);
  });
});
