import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/errors.js';
import { createStrategy, type Decision } from '../../operators/index.js';
import { runBacktest } from '../../pipeline/backtest/run-backtest.js';
import { type Config, engineOptionsFrom } from '../../pipeline/config.js';
import { createLogger } from '../../pipeline/logger.js';
import { runProcess } from '../../pipeline/runtime/modes/process.js';
import { replayBuckets } from '../../pipeline/runtime/modes/replay.js';
import { createTrader, DEFAULT_TRADING_OPTIONS } from '../../pipeline/trade/create-trader.js';
import { createDecisionExecutor } from '../../pipeline/trade/execute-decisions.js';
import type { Candle } from '../../sinks/prices/candle.js';
import { createClickHouseCandleStore } from '../../sinks/prices/candle-store.js';
import { createProcessWorld, type ProcessWorld, syntheticMessages } from '../support/process-fixture.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const FROM = START - HOUR;
const TO = START + 9 * HOUR;
const SYMBOLS = ['BTC', 'ETH'];
const PARAMS = { lookback: '2', threshold: '0.05', minCount: '5' };
const logger = createLogger({ level: 'warn' });
let world: ProcessWorld;
let out: string;

/** A seeded random walk of hourly candles around `base`, each opening at the previous close. */
function candles(base: number, seed: number): Candle[] {
  let state = seed;
  const rand = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const list: Candle[] = [];
  let price = base;
  for (let t = START - 3 * HOUR; t <= START + 20 * HOUR; t += HOUR) {
    const close = price * (1 + (rand() - 0.5) * 0.02);
    list.push({
      openTime: t,
      open: price,
      high: Math.max(price, close),
      low: Math.min(price, close),
      close,
      volume: 10,
    });
    price = close;
  }
  return list;
}

function backtest(
  overrides: Partial<Parameters<typeof runBacktest>[1]> = {},
  deps: { config?: Config; logger?: Logger } = {},
) {
  return runBacktest(
    {
      kafka: world.kafka,
      clickhouse: world.clickhouse,
      config: deps.config ?? world.config,
      logger: deps.logger ?? logger,
    },
    {
      from: FROM,
      to: TO,
      symbols: SYMBOLS,
      strategy: 'threshold',
      grid: Object.fromEntries(Object.entries(PARAMS).map(([k, v]) => [k, [v]])),
      out,
      // Small fetches: the replay spans many batches per partition, as a real one does.
      fetchBytesPerPartition: 64 * 1024,
      ...overrides,
    },
  );
}

const shape = (decisions: readonly Decision[]) =>
  decisions
    .map((d) => ({ id: d.id, action: d.action, size: d.size }))
    .sort((a, b) => a.id.localeCompare(b.id));

beforeAll(async () => {
  world = await createProcessWorld('bt');
  out = await mkdtemp(join(tmpdir(), 'sentiflow-bt-'));
  const messages = syntheticMessages({
    seed: 11,
    count: 6_000,
    startTime: START,
    tweetsPerSecond: 0.25,
    symbols: SYMBOLS,
  });
  await world.producer.send(world.config.topics.tweetsRaw, messages);
  const store = createClickHouseCandleStore(world.clickhouse, { url: world.config.clickhouse.url });
  await store.write({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, candles(40_000, 3), 'test');
  await store.write({ exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h' }, candles(2_000, 5), 'test');
}, 120_000);

afterAll(async () => {
  await world?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

describe('sentiflow backtest on real Kafka and ClickHouse', () => {
  it('reproduces the decisions of the live process over the same period (ids, actions, sizes)', async () => {
    const live: Decision[] = [];
    const trader = await createTrader(
      {
        exchange: world.config.exchange,
        logger,
        clickhouse: { client: world.clickhouse, url: world.config.clickhouse.url },
        now: () => START + 10 * HOUR,
      },
      DEFAULT_TRADING_OPTIONS,
    );
    const summary = await runProcess(
      {
        kafka: world.kafka,
        producer: world.producer,
        clickhouse: world.clickhouse,
        logger,
        executeDecisions: createDecisionExecutor(trader.sink),
        onFlush: (flushed) => live.push(...flushed.decisions),
      },
      {
        config: world.config,
        groupId: 'backtest-parity-live',
        // The scorer the backtest builds from the same config (engineOptionsFrom), as `process` does.
        engine: {
          scoring: engineOptionsFrom(world.config).scoring,
          strategy: createStrategy('threshold', PARAMS),
        },
        exitWhenIdle: true,
        flushIntervalMs: 200,
        checkpointIntervalMs: 500,
      },
    );
    await trader.close();
    expect(summary.consumed).toBe(6_000);
    const stored = await world.rows<{ id: string; action: string; size: number }>(
      'SELECT decision_id AS id, action, size FROM signals FINAL ORDER BY id',
    );

    const outcome = await backtest();

    expect(outcome.replay.consumed).toBe(6_000);
    expect(live.filter((d) => d.action !== 'HOLD').length).toBeGreaterThan(0);
    expect(shape(outcome.decisions)).toEqual(shape(live));
    expect(shape(outcome.decisions)).toEqual(stored.sort((a, b) => a.id.localeCompare(b.id)));
    // Kafka fetched on this thread instead of a worker: the same decisions.
    const direct = await backtest({ replayThread: false, record: false });
    expect(shape(direct.decisions)).toEqual(shape(live));
    // PROCESS_SCORE_THREADS applies to the backtest as to `process`: one thread per partition here.
    const lines: string[] = [];
    const threaded = await backtest(
      { record: false },
      {
        config: { ...world.config, process: { ...world.config.process, scoreThreads: 3 } },
        logger: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }),
      },
    );
    expect(shape(threaded.decisions)).toEqual(shape(live));
    const replaying = lines.map((l) => JSON.parse(l) as { msg: string; scoreThreads?: number });
    expect(replaying.find((l) => l.msg === 'replaying')?.scoreThreads).toBe(3);
    // The live group's committed offsets are untouched by the replay.
    const admin = world.kafka.admin();
    await admin.connect();
    const groups = await admin.listGroups();
    const committed = await admin.fetchOffsets({
      groupId: 'backtest-parity-live',
      topics: [world.config.topics.tweetsRaw],
    });
    await admin.disconnect();
    expect(committed[0]!.partitions.reduce((n, p) => n + Number(p.offset), 0)).toBe(6_000);
    const replayGroups = groups.groups.filter((g) => g.groupId.startsWith('sentiflow-backtest-'));
    for (const g of replayGroups) {
      const admin2 = world.kafka.admin();
      await admin2.connect();
      const offsets = await admin2.fetchOffsets({
        groupId: g.groupId,
        topics: [world.config.topics.tweetsRaw],
      });
      await admin2.disconnect();
      expect(offsets[0]!.partitions.every((p) => p.offset === '-1')).toBe(true);
    }
  });

  it('writes summary.json, trades.csv and report.html and records the run once per run id', async () => {
    const first = await backtest();
    const again = await backtest();
    const best = first.ranked[0]!;
    expect(again.ranked[0]!.runId).toBe(best.runId);

    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.runId).toBe(best.runId);
    for (const key of [
      'totalReturn',
      'buyAndHoldReturn',
      'sharpe',
      'sortino',
      'maxDrawdown',
      'maxDrawdownHours',
      'trades',
      'winRate',
      'averageTrade',
      'exposure',
      'feesPaid',
    ]) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary.trades).toBe(best.trades.length);
    const csv = (await readFile(join(out, 'trades.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe(
      'decided_at,decision_id,strategy,symbol,market,side,amount,price,cost,fee,pnl,dust,reason',
    );
    expect(csv).toHaveLength(best.trades.length + 1);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);

    const runs = await world.rows<{ n: string; code_version: string; scorer: string; trades: string }>(
      `SELECT count() AS n, any(code_version) AS code_version, any(scorer) AS scorer, any(trades) AS trades FROM backtest_runs FINAL WHERE run_id = '${best.runId}'`,
    );
    expect(Number(runs[0]!.n)).toBe(1);
    expect(runs[0]!.code_version).toMatch(/^0\.1\.0/);
    expect(runs[0]!.scorer).toBe('combined'); // the default config's scorer
    expect(Number(runs[0]!.trades)).toBe(best.trades.length);
    const trades = await world.rows<{ n: string }>(
      `SELECT count() AS n FROM backtest_trades FINAL WHERE run_id = '${best.runId}'`,
    );
    expect(Number(trades[0]!.n)).toBe(best.trades.length);
  });

  it('sweeps a grid in worker threads over one replay and ranks the runs', async () => {
    const outcome = await backtest({
      grid: { lookback: ['1', '2'], threshold: ['0.05', '0.1'], minCount: ['5'] },
      workers: 2,
      record: false,
    });
    expect(outcome.ranked).toHaveLength(4);
    expect(new Set(outcome.ranked.map((r) => r.runId)).size).toBe(4);
    const sharpes = outcome.ranked.map((r) => r.summary.sharpe ?? Number.NEGATIVE_INFINITY);
    expect(sharpes).toEqual([...sharpes].sort((a, b) => b - a));
    // The same combination alone gives the same numbers as inside the sweep.
    const single = await backtest({ record: false });
    const inSweep = outcome.ranked.find((r) => r.runId === single.ranked[0]!.runId);
    expect(inSweep?.summary).toEqual(single.ranked[0]!.summary);
  });

  it('says in one line when candles are missing for the period', async () => {
    const error = await backtest({ symbols: ['SOL'], record: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/no complete price history for SOL\/USDT.*prices import/);
  });

  it('says in one line when the topic has nothing in the period', async () => {
    const error = await backtest({ from: START + 100 * HOUR, to: START + 110 * HOUR }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/no tweets in .* between .* nothing to replay/);
  });

  it('stops a threaded replay aborted midway, with the abort as its error', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const error = await replayBuckets(world.kafka, {
      topic: world.config.topics.tweetsRaw,
      brokers: world.config.kafka.brokers,
      from: FROM,
      to: TO,
      config: world.config,
      strategy: createStrategy('threshold', PARAMS),
      scoreThreads: 2,
      maxBytesPerPartition: 16 * 1024,
      signal: abort.signal,
      onProgress: (p) => {
        seen.push(p.read);
        if (seen.length === 2) abort.abort();
      },
    }).catch((e: unknown) => e);

    expect((error as Error).message).toMatch(/backtest aborted/);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)!).toBeLessThan(6_000);
  });

  it('says in one line when the strategy is unknown', async () => {
    const error = await backtest({ strategy: 'moon', grid: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/unknown strategy "moon"/);
  });
});
