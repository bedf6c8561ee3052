import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createJetstream$,
  type JetstreamCount,
  type JetstreamOptions,
} from '../../../pipeline/sources/jetstream.js';
import { parseCursorState } from '../../../pipeline/sources/jetstream-cursor.js';
import { compileRules, fixedRules, watchRules } from '../../../pipeline/sources/rules-file.js';
import type { EnvelopeItem, IngestItem, IngestSource, RejectItem } from '../../../pipeline/sources/types.js';
import { type FakeJetstream, postEvent, startFakeJetstream } from '../../support/fake-jetstream.js';
import { ManualScheduler } from './manual-scheduler.js';

const logger = pino({ level: 'silent' });
const BTC_RULES = fixedRules(compileRules([{ value: '$BTC OR bitcoin', tag: 'BTC' }], 'test'));
const STALL_MS = 10_000;

describe('jetstream source against a fake Jetstream host', () => {
  let server: FakeJetstream;
  let scheduler: ManualScheduler;
  let items: IngestItem[];
  let counts: Map<JetstreamCount, number>;
  let subscription: Subscription | undefined;
  let source: IngestSource;

  const envelopes = (): EnvelopeItem[] => items.filter((i): i is EnvelopeItem => i.kind === 'envelope');
  const rejects = (): RejectItem[] => items.filter((i): i is RejectItem => i.kind === 'reject');
  const start = (options: Partial<JetstreamOptions> = {}): void => {
    source = createJetstream$({
      hosts: [server.url],
      rules: BTC_RULES,
      logger,
      scheduler,
      stallTimeoutMs: STALL_MS,
      onCount: (outcome) => counts.set(outcome, (counts.get(outcome) ?? 0) + 1),
      ...options,
    });
    subscription = source({ ready: () => undefined }).subscribe((item) => items.push(item));
  };
  const until = async (predicate: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  const total = (): number => [...counts.values()].reduce((a, b) => a + b, 0);

  beforeEach(async () => {
    server = await startFakeJetstream();
    scheduler = new ManualScheduler();
    items = [];
    counts = new Map();
  });
  afterEach(async () => {
    subscription?.unsubscribe();
    await server.close();
  });

  it('writes matching posts exactly as sent, keyed by at:// URI, and counts the rest', async () => {
    start();
    await server.until((s) => s.openSockets === 1);
    expect(server.connections[0]).toMatchObject({ cursor: null, wantedCollections: ['app.bsky.feed.post'] });
    const hit = postEvent(1, 'stacking $BTC 🚀');
    server.publish(hit);
    server.publish(postEvent(2, 'just cats today'));
    server.publish({ did: 'did:plc:x', time_us: 1_760_000_000_003_000, kind: 'identity', identity: {} });
    server.publish({ did: 'did:plc:x', time_us: 1_760_000_000_004_000, kind: 'account', account: {} });
    const deleted = postEvent(5, 'bitcoin');
    (deleted.commit as Record<string, unknown>).operation = 'delete';
    server.publish(deleted);
    const edited = postEvent(6, 'bitcoin edited');
    (edited.commit as Record<string, unknown>).operation = 'update';
    server.publish(edited);
    server.publish(postEvent(8, 'Bitcoin never sleeps'));
    await until(() => total() === 7, 'seven events counted');

    expect(envelopes().map((e) => e.id)).toEqual([
      'at://did:plc:author1/app.bsky.feed.post/3lpost000001',
      'at://did:plc:author1/app.bsky.feed.post/3lpost000008',
    ]);
    expect(envelopes()[0]).toMatchObject({
      json: JSON.stringify(hit),
      source: 'bluesky',
      createdAt: Math.floor(1_760_000_000_001_000 / 1000),
    });
    expect(Object.fromEntries(counts)).toEqual({
      matched: 2,
      unmatched: 1,
      identity: 1,
      account: 1,
      post_delete: 1,
      post_update: 1,
    });
  });

  it('sends malformed and oversized messages to the DLQ with their reasons', async () => {
    start({ maxMessageBytes: 2048 });
    await server.until((s) => s.openSockets === 1);
    server.publish('{"did": "did:plc:x", "time_us": 12');
    server.publish(postEvent(1, `$BTC ${'x'.repeat(4000)}`));
    server.publish(JSON.stringify([1, 2]));
    server.publish(postEvent(2, '$BTC fine'));
    await until(() => total() === 4, 'four messages');
    expect(rejects().map((r) => r.reason)).toEqual(['invalid_json', 'oversized', 'not_a_jetstream_event']);
    expect(rejects()[1]!.detail).toMatch(/over the 2048-byte limit/);
    expect(rejects().every((r) => r.source === 'bluesky')).toBe(true);
    expect(envelopes()).toHaveLength(1);
  });

  it('reconnects after a drop in the middle of a frame, from the cursor minus the margin, without repeats', async () => {
    server.script({ type: 'drop-mid-message', afterMessages: 3 });
    start({ cursorMarginMs: 5 });
    await server.until((s) => s.openSockets === 1);
    for (let n = 1; n <= 6; n++) server.publish(postEvent(n, `$BTC post ${n}`));
    await scheduler.whenScheduled(0); // dropped: reconnect at once
    expect(envelopes()).toHaveLength(3);
    scheduler.advance(0);
    await until(() => envelopes().length === 6, 'all six posts');
    // cursor = post 3's time_us minus 5 ms: posts 0..3 fall inside the margin and repeat.
    expect(server.connections[1]!.cursor).toBe(String(1_760_000_000_003_000 - 5_000));
    expect(counts.get('repeat')).toBe(3);
    expect(envelopes().map((e) => e.id.slice(-2))).toEqual(['01', '02', '03', '04', '05', '06']);
    expect(rejects()).toEqual([]);
  });

  it('cuts a stalled socket and fails over to the next host', async () => {
    const second = await startFakeJetstream();
    try {
      server.script({ type: 'stall' });
      start({ hosts: [server.url, second.url] });
      await server.until((s) => s.openSockets === 1);
      server.publish(postEvent(1, '$BTC lost in the stall'));
      second.publish(postEvent(1, '$BTC lost in the stall'));
      scheduler.advance(STALL_MS); // stalled: cut, and the first reconnect after a drop is immediate
      await second.until((s) => s.openSockets === 1);
      second.publish(postEvent(2, '$BTC after failover'));
      await until(() => envelopes().length === 1, 'the post after the failover');
      expect(envelopes()[0]!.id).toMatch(/3lpost000002$/);
      expect(second.connections[0]!.cursor).toBeNull(); // nothing seen yet: live from now
    } finally {
      await second.close();
    }
  });

  it('moves to the next host when one refuses the upgrade, backing off for HTTP errors', async () => {
    const second = await startFakeJetstream();
    try {
      server.script({ type: 'status', status: 503 });
      start({ hosts: [server.url, second.url] });
      await scheduler.whenScheduled(5000);
      scheduler.advance(5000);
      await second.until((s) => s.openSockets === 1);
      second.publish(postEvent(1, 'bitcoin from host two'));
      await until(() => envelopes().length === 1, 'a post from the second host');
    } finally {
      await second.close();
    }
  });

  it('resumes after a restart from its final checkpoint: nothing lost, nothing repeated', async () => {
    start();
    await server.until((s) => s.openSockets === 1);
    for (let n = 1; n <= 4; n++) server.publish(postEvent(n, `$BTC first run ${n}`));
    await until(() => envelopes().length === 4, 'four posts');
    subscription!.unsubscribe();
    const last = source.finalCheckpoint!();
    expect(last).toMatchObject({ kind: 'checkpoint', key: 'bluesky' });
    const state = parseCursorState(last!.value);
    expect(state.cursor).toBe(1_760_000_000_004_000);
    expect(source.finalCheckpoint!()).toBeUndefined(); // nothing new since

    for (let n = 5; n <= 6; n++) server.publish(postEvent(n, `$BTC while down ${n}`));
    items = [];
    start({ state });
    await until(() => envelopes().length === 2, 'the two posts missed while down');
    expect(server.connections.at(-1)!.cursor).toBe(String(1_760_000_000_004_000 - 5_000_000));
    expect(envelopes().map((e) => e.id.slice(-2))).toEqual(['05', '06']);
    expect(counts.get('repeat')).toBe(4);
  });

  it('applies a changed rules file without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const path = join(dir, 'rules.json');
    writeFileSync(path, JSON.stringify([{ value: '$BTC', tag: 'BTC' }]));
    const warnings: string[] = [];
    const watchLogger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const rules = watchRules(path, { logger: watchLogger, intervalMs: 10 });
    try {
      start({ rules });
      await server.until((s) => s.openSockets === 1);
      server.publish(postEvent(1, '$ETH before the change'));
      await until(() => total() === 1, 'the first post');
      expect(counts.get('unmatched')).toBe(1);
      writeFileSync(
        path,
        JSON.stringify([
          { value: '$ETH OR ethereum', tag: 'ETH' },
          { value: '$BTC', tag: 'BTC' },
        ]),
      );
      await until(() => rules.get().rules.length === 2, 'the new rules');
      server.publish(postEvent(2, '$ETH after the change'));
      await until(() => envelopes().length === 1, 'the post the new rule matches');
      writeFileSync(path, '[not json');
      await until(() => warnings.some((w) => w.includes('keeping the previous rules')), 'the warning');
      expect(rules.get().rules.length).toBe(2); // a broken edit keeps the rules in force
    } finally {
      rules.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
