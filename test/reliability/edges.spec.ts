/**
 * Faults at the edges: the fake exchange accepts orders and never answers (the response is lost;
 * `sentiflow trade --live` must look the order up by its client id, never send it twice), and the
 * fake X server drops stream connections in a storm (`sentiflow ingest` must reconnect and land every
 * tweet in tweets.raw; a repeat after a reconnect is allowed there, `process` dedupes it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionId } from '../../operators/index.js';
import type { Decision } from '../../operators/types.js';
import { readTopicRange } from '../../pipeline/ingest/read-topic.js';
import { buildOnce } from '../support/cli.js';
import { type FakeExchange, startFakeExchange } from '../support/fake-exchange.js';
import { type FakeXServer, startFakeXServer } from '../support/fake-x-server.js';
import { createWorld, exitWithin, startCli, type World } from '../support/faults.js';
import { waitFor } from '../support/servers.js';
import { recordSummary, size } from './summary.js';

const DECISIONS = size('RELIABILITY_DECISIONS', 40, 12);
const HANGS = Math.ceil(DECISIONS / 4);
const TWEETS = size('RELIABILITY_STORM_TWEETS', 3_000, 600);
const DROPS = size('RELIABILITY_STORM_DROPS', 30, 10);
const API_KEY = 'reliability-key-0001';
const SECRET = 'reliability-secret-0001';

let world: World;

beforeAll(async () => {
  buildOnce();
  world = await createWorld('rel_edges', {});
});

afterAll(async () => {
  await world?.close();
});

describe('edges', () => {
  let fake: FakeExchange | undefined;
  let x: FakeXServer | undefined;
  afterAll(async () => {
    await Promise.all([fake?.close(), x?.close()]);
  });

  it(`exchange accepts ${HANGS} of ${DECISIONS} orders and never answers: one order per decision`, async () => {
    const venue = await startFakeExchange({
      apiKey: API_KEY,
      secret: SECRET,
      balances: { USDT: 1_000_000 },
      prices: { BTCUSDT: 20_000, ETHUSDT: 1_000 },
    });
    fake = venue;
    venue.fail('POST /api/v3/order', { kind: 'accept-then-hang' }, HANGS);
    const now = Date.now();
    const decisions: Decision[] = Array.from({ length: DECISIONS }, (_, i) => {
      const symbol = i % 2 === 0 ? 'BTC' : 'ETH';
      const bucketStart = Math.floor(now / 3_600_000) * 3_600_000 - (DECISIONS - i) * 3_600_000;
      return {
        kind: 'decision',
        id: decisionId('reliability', symbol, bucketStart),
        strategy: 'reliability',
        symbol,
        bucketStart,
        decidedAt: now - 1_000,
        // Alternate so a position exists to sell: BUY, BUY, SELL, SELL per symbol pair of rounds.
        action: Math.floor(i / 2) % 2 === 0 ? 'BUY' : 'SELL',
        size: 0.01,
        reason: 'reliability',
        inputs: {},
      };
    });
    await world.producer.send(
      world.config.topics.signals,
      decisions.map((d) => ({ key: d.symbol, value: JSON.stringify(d), timestamp: d.decidedAt })),
    );
    const run = startCli(['trade', '--live', '--from-beginning', '--max-decision-age-minutes', '0'], {
      ...world.env,
      EXCHANGE_API_URL: venue.url,
      EXCHANGE_API_KEY: API_KEY,
      EXCHANGE_SECRET: SECRET,
      SENTIFLOW_LIVE: 'I_UNDERSTAND',
      EXCHANGE_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'info',
    });
    const started = Date.now();
    const settled = async () =>
      Number(
        (await world.rows<{ n: string }>('SELECT uniqExact(decision_id) AS n FROM orders FINAL'))[0]?.n ?? 0,
      );
    await waitFor(
      async () => (await settled()) >= DECISIONS || (await Promise.race([run.exited, null])) !== null,
      {
        timeoutMs: 240_000,
        intervalMs: 500,
        what: 'an execution record for every decision',
      },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; trade log:\n${run.stderr().slice(-3_000)}`);
    });
    const recoveryMs = Date.now() - started;
    run.child.kill('SIGTERM');
    expect(await exitWithin(run, 60_000), run.stderr().slice(-2_000)).toBe(0);
    const perDecision = new Map<string, number>();
    for (const o of venue.orders)
      perDecision.set(o.clientOrderId, (perDecision.get(o.clientOrderId) ?? 0) + 1);
    const sentTwice = [...perDecision.values()].filter((n) => n > 1).length;
    const statuses = await world.rows<{ status: string; n: string }>(
      'SELECT status, count() AS n FROM orders FINAL GROUP BY status ORDER BY status',
    );
    process.stderr.write(
      `[exchange] ${DECISIONS} decisions, ${HANGS} lost responses: ${venue.orders.length} orders at the venue, ` +
        `statuses ${statuses.map((s) => `${s.status}=${s.n}`).join(' ')}\n`,
    );
    recordSummary({
      scenario: `exchange accepts, never answers (x${HANGS})`,
      messagesIn: DECISIONS,
      rowsOut: await settled(),
      lost: DECISIONS - (await settled()),
      duplicated: sentTwice,
      recoveryMs,
      notes: `venue orders ${venue.orders.length}; ${statuses.map((s) => `${s.status}=${s.n}`).join(' ')}`,
    });
    expect(sentTwice).toBe(0);
    expect(await settled()).toBe(DECISIONS);
  });

  it(`X stream dropped ${DROPS} times mid-line: every tweet lands in tweets.raw`, async () => {
    const server = await startFakeXServer({ token: 'reliability-token' });
    x = server;
    server.script(
      ...Array.from({ length: DROPS }, (_, i) => ({
        type: 'drop-mid-line' as const,
        afterLines: 5 + (i % 7),
      })),
    );
    const topic = `${world.config.topics.tweetsRaw}.storm`;
    const env = {
      ...world.env,
      TOPIC_TWEETS_RAW: topic,
      X_BEARER_TOKEN: 'reliability-token',
      X_API_URL: server.url,
      NODE_EXTRA_CA_CERTS: server.caPath,
      LOG_LEVEL: 'warn',
    };
    const rules = startCli(['rules', 'add', '$BTC', '--tag', 'BTC'], env);
    expect(await exitWithin(rules, 60_000), rules.stderr().slice(-2_000)).toBe(0);
    const run = startCli(['ingest', '--source', 'x-stream'], env);
    await server.until((s) => s.openStreams === 1, 60_000);
    const started = Date.now();
    const ids: string[] = [];
    for (let n = 0; n < TWEETS; n++) {
      const id = String(1_870_000_000_000_000_000n + BigInt(n));
      ids.push(id);
      server.publish({
        data: {
          id,
          text: `$BTC storm ${n} to the moon`,
          created_at: new Date(Date.UTC(2026, 5, 1) + n * 1_000).toISOString(),
        },
      });
      if (n % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    await server.until((s) => s.delivered >= TWEETS, 240_000);
    const recoveryMs = Date.now() - started;
    await waitFor(
      async () =>
        (await readTopicRange(world.kafka, {
          topic,
          brokers: world.config.kafka.brokers,
          onRecord: () => undefined,
        })) >= TWEETS,
      { timeoutMs: 60_000, intervalMs: 500, what: 'every delivered tweet in Kafka' },
    );
    run.child.kill('SIGINT');
    expect(await exitWithin(run, 60_000), run.stderr().slice(-2_000)).toBe(0);
    const keys: string[] = [];
    await readTopicRange(world.kafka, {
      topic,
      brokers: world.config.kafka.brokers,
      onRecord: (r) => void keys.push(r.key ?? ''),
    });
    const unique = new Set(keys);
    const lost = ids.filter((id) => !unique.has(id)).length;
    recordSummary({
      scenario: `X stream dropped x${DROPS}`,
      messagesIn: TWEETS,
      rowsOut: unique.size,
      lost,
      duplicated: keys.length - unique.size,
      recoveryMs,
      notes: `connections ${server.connections.length}; repeats in tweets.raw are deduped by process`,
    });
    expect(lost).toBe(0);
    expect(server.connections.length).toBeGreaterThan(DROPS);
  });
});
