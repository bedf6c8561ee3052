import { pino } from 'pino';
import type { Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RejectedError } from '../../../lib/errors.js';
import type { MastodonStream } from '../../../pipeline/sources/mastodon-catchup.js';
import {
  createMastodonStream$,
  type MastodonCount,
  type MastodonSourceOptions,
  parseMastodonState,
} from '../../../pipeline/sources/mastodon-stream.js';
import { compileRules, fixedRules } from '../../../pipeline/sources/rules-file.js';
import type { EnvelopeItem, IngestItem, IngestSource, RejectItem } from '../../../pipeline/sources/types.js';
import { type FakeMastodon, fakeStatus, startFakeMastodon } from '../../support/fake-mastodon.js';
import { ManualScheduler } from './manual-scheduler.js';

const logger = pino({ level: 'silent' });
const RULES = fixedRules(compileRules([{ value: '$BTC OR bitcoin', tag: 'BTC' }], 'test'));
const BTC: MastodonStream = { kind: 'hashtag', tag: 'btc' };
const TOKEN = 'secret-mastodon-token';

describe('mastodon source against a fake instance', () => {
  let server: FakeMastodon;
  let scheduler: ManualScheduler;
  let items: IngestItem[];
  let counts: Map<MastodonCount, number>;
  let failure: unknown;
  let subscription: Subscription | undefined;
  let source: IngestSource;

  const envelopes = (): EnvelopeItem[] => items.filter((i): i is EnvelopeItem => i.kind === 'envelope');
  const rejects = (): RejectItem[] => items.filter((i): i is RejectItem => i.kind === 'reject');
  const total = (): number => [...counts.values()].reduce((a, b) => a + b, 0);
  const start = (options: Partial<MastodonSourceOptions> = {}): void => {
    source = createMastodonStream$({
      api: { baseUrl: server.url, token: TOKEN },
      streams: [BTC],
      rules: RULES,
      logger,
      scheduler,
      onCount: (outcome) => counts.set(outcome, (counts.get(outcome) ?? 0) + 1),
      ...options,
    });
    subscription = source({ ready: () => undefined }).subscribe({
      next: (item) => items.push(item),
      error: (error: unknown) => {
        failure = error;
      },
    });
  };
  /** The stream is read once the server has answered its catch-up (a first run: newest id, then since_id). */
  const connected = (requests = 2) =>
    server.until((s) => s.openStreams === 1 && s.timelineRequests.length === requests);
  const until = async (predicate: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };

  beforeEach(async () => {
    server = await startFakeMastodon({ token: TOKEN });
    scheduler = new ManualScheduler();
    items = [];
    counts = new Map();
    failure = undefined;
  });
  afterEach(async () => {
    subscription?.unsubscribe();
    await server.close();
  });

  it('writes statuses exactly as streamed, keyed by uri, and counts deletes and edits', async () => {
    start();
    await connected();
    expect(server.streamConnections[0]).toEqual({
      stream: 'btc',
      behaviour: 'serve',
      auth: `Bearer ${TOKEN}`,
    });
    const first = fakeStatus(1, 'stacking sats', ['btc']);
    server.publish(first);
    server.send('delete', first.id);
    server.send('status.update', JSON.stringify(first));
    server.send('update', '{"id": "9", "uri":');
    const original = fakeStatus(3, 'the original', ['btc']);
    server.publish({ ...fakeStatus(4, '', ['btc']), uri: 'https://fake.social/reblog/4', reblog: original });
    await until(() => total() === 5, 'five events');

    expect(envelopes().map((e) => [e.id, e.key])).toEqual([
      [first.uri, first.uri],
      ['https://fake.social/reblog/4', original.uri], // a reblog is keyed by its original
    ]);
    expect(envelopes()[0]).toMatchObject({
      json: JSON.stringify(first),
      createdAt: Date.parse(first.created_at),
      source: 'mastodon',
    });
    expect(rejects().map((r) => r.reason)).toEqual(['invalid_json']);
    expect(Object.fromEntries(counts)).toEqual({
      matched: 2,
      status_delete: 1,
      status_update: 1,
      rejected: 1,
    });
  });

  it('sends an oversized status to the DLQ', async () => {
    start({ maxMessageBytes: 2000 });
    await connected();
    server.publish(fakeStatus(1, `bitcoin ${'x'.repeat(3000)}`, ['btc']));
    await until(() => rejects().length === 1, 'the rejection');
    expect(rejects()[0]).toMatchObject({ reason: 'oversized', source: 'mastodon' });
  });

  it('matches the local timeline against the rules', async () => {
    start({ streams: [{ kind: 'local' }] });
    await connected();
    server.publish(fakeStatus(1, 'Bitcoin &amp; chill'));
    server.publish(fakeStatus(2, 'gardening'));
    await until(() => total() === 2, 'two statuses');
    expect(envelopes()).toHaveLength(1);
    expect(counts.get('unmatched')).toBe(1);
  });

  it('after a drop in the middle of an event, catches up through the timeline with since_id', async () => {
    server.script({ type: 'drop-mid-event', afterEvents: 2 }, { type: 'stall' });
    start({ catchUpLimit: 2 });
    // First run: the newest id now (none: '0'), then an empty catch-up, then the stream is read.
    await connected();
    expect(server.timelineRequests.map((q) => [q.get('since_id'), q.get('limit')])).toEqual([
      [null, '1'],
      ['0', '2'],
    ]);
    for (let n = 1; n <= 7; n++) server.publish(fakeStatus(n, `post ${n}`, ['btc']));
    await scheduler.whenScheduled(0); // dropped at post 3: reconnect at once
    scheduler.advance(0);
    await until(() => envelopes().length === 7, 'all seven posts');
    // The reconnect caught up from the newest id written (0, 1 or 2: the fetch may lose what the
    // dropped socket still held), paging backwards with max_id, two statuses per page.
    const catchUp = server.timelineRequests.slice(2);
    const since = catchUp[0]!.get('since_id');
    expect(['0', fakeStatus(1, '').id, fakeStatus(2, '').id]).toContain(since);
    expect(catchUp.length).toBeGreaterThanOrEqual(3);
    expect(catchUp.every((q) => q.get('since_id') === since)).toBe(true);
    expect(catchUp.slice(1).every((q) => q.get('max_id') !== null)).toBe(true);
    expect(envelopes().map((e) => JSON.parse(e.json).id)).toEqual(
      Array.from({ length: 7 }, (_, i) => fakeStatus(i + 1, '').id),
    );
    const stored = items.filter((i) => i.kind === 'checkpoint').at(-1);
    expect(parseMastodonState(stored!.kind === 'checkpoint' ? stored!.value : '')).toEqual({
      '#btc': fakeStatus(7, '').id,
    });
    // The second connection stalls: it is cut and reopened.
    scheduler.advance(60_000);
    await scheduler.whenScheduled(0);
    scheduler.advance(0);
    await server.until((s) => s.streamConnections.length === 3 && s.openStreams === 1);
  });

  it('resumes after a restart from its final checkpoint', async () => {
    start();
    await connected();
    server.publish(fakeStatus(1, 'first run', ['btc']));
    await until(() => envelopes().length === 1, 'one post');
    subscription!.unsubscribe();
    const last = source.finalCheckpoint!();
    expect(last).toMatchObject({ key: `mastodon:${new URL(server.url).host}` });
    server.publish(fakeStatus(2, 'while down', ['btc']));
    items = [];
    start({ since: parseMastodonState(last!.value) });
    await until(() => envelopes().length === 1, 'the post from the gap');
    expect(JSON.parse(envelopes()[0]!.json).id).toBe(fakeStatus(2, '').id);
  });

  it('stops with one clear error when the instance refuses the token, without showing it', async () => {
    start({ api: { baseUrl: server.url, token: 'wrong' } });
    await until(() => failure !== undefined, 'the failure');
    expect(failure).toBeInstanceOf(RejectedError);
    expect((failure as Error).message).toMatch(/HTTP 401.*MASTODON_TOKEN/);
    expect((failure as Error).message).not.toContain('wrong');
  });
});
