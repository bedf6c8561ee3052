/**
 * backtest.replay: tweets/s of `sentiflow backtest` (runBacktest end to end: offsets by time, Kafka
 * replay through the live engine, paper fills on candles from ClickHouse, metrics, reports, record)
 * over BENCH_BACKTEST_COUNT envelopes (default 1,000,000) in a 3-partition tweets.raw, next to the
 * raw consume baseline of the same run: a plain kafkajs consumer reading the same messages and doing
 * nothing with them. The replay scores in `scoreThreads` worker threads (one per core) while the main
 * thread fetches Kafka and windows (pipeline/runtime/threads/score-threads.ts). Peak RSS is sampled
 * during the backtest. The topic is filled by a child process with the messages ingest writes (keys,
 * timestamps, headers: ingested.ts; gzip), so producing does not weigh on this process's RSS.
 * PROCESS_SCORE_THREADS sets the score threads, as for `sentiflow backtest` (default: one per core).
 * Servers: KAFKA_BROKERS / CLICKHOUSE_URL when set, else started here through scripts/services.
 * The topic keeps its messages forever while the bench runs (their 2024 timestamps would be past a
 * time retention at once) and is deleted at the end.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kafka, Message } from 'kafkajs';
import { pino } from 'pino';
import { runBacktest } from '../pipeline/backtest/run-backtest.js';
import { loadConfig } from '../pipeline/config.js';
import { generateEnvelopes } from '../pipeline/sources/synthetic.js';
import { provideServices } from '../scripts/services/provide.js';
import { serviceEnv } from '../scripts/services/report.js';
import { createClickHouse } from '../sinks/clickhouse/client.js';
import { migrate } from '../sinks/clickhouse/migrations.js';
import { createKafka } from '../sinks/kafka/client.js';
import { CompressionTypes } from '../sinks/kafka/kafkajs.js';
import { ensureTopics } from '../sinks/kafka/topics.js';
import type { Candle } from '../sinks/prices/candle.js';
import { createClickHouseCandleStore } from '../sinks/prices/candle-store.js';
import { ingestedKafkaMessage } from './ingested.js';
import { emit, note, ratioOf, trackPeakRss, trackThreadCpu } from './lib.js';

const BENCH = 'backtest.replay';
const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const count = Number(process.env.BENCH_BACKTEST_COUNT ?? 1_000_000);
// Spread over about a month of event time, like the "month of Bitcoin chatter".
const tweetsPerSecond = Math.max(0.05, count / (30 * 24 * 3600));

/** Child mode: fill the topic and exit. */
async function produce(brokers: string[], topic: string): Promise<void> {
  const kafka = createKafka({ brokers, clientId: 'bench-backtest-produce' });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let batch: Message[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await producer.send({ topic, messages: batch, compression: CompressionTypes.GZIP, acks: 1 });
    batch = [];
  };
  for (const envelope of generateEnvelopes({ seed: 7, count, startTime: START, tweetsPerSecond })) {
    batch.push(ingestedKafkaMessage(envelope, Date.now()));
    if (batch.length >= 5_000) await flush();
  }
  await flush();
  await producer.disconnect();
}

/** The baseline: read the same offsets with kafkajs and do nothing. Returns seconds. */
async function rawConsume(kafka: Kafka, topic: string, total: number): Promise<number> {
  const consumer = kafka.consumer({
    groupId: `bench-raw-${randomUUID()}`,
    maxWaitTimeInMs: 100,
    // The replay's own fetch sizes (pipeline/runtime/drivers/kafka-replay.ts).
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: 16 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    let last = -1;
    const watchdog = setInterval(() => {
      if (seen === last) reject(new Error(`raw consume stalled at ${seen} of ${total} messages`));
      last = seen;
    }, 30_000);
    watchdog.unref();
    consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          seen += batch.messages.length;
          if (seen >= total) {
            clearInterval(watchdog);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return seconds;
}

function cpuSecondsOf(usage: NodeJS.CpuUsage): number {
  return Math.round(((usage.user + usage.system) / 1e6) * 10) / 10;
}

function candles(until: number): Candle[] {
  const list: Candle[] = [];
  let price = 42_000;
  for (let t = START - 3 * HOUR, i = 0; t <= until; t += HOUR, i++) {
    const close = price * (1 + Math.sin(i / 17) * 0.004);
    list.push({
      openTime: t,
      open: price,
      high: Math.max(price, close),
      low: Math.min(price, close),
      close,
      volume: 1,
    });
    price = close;
  }
  return list;
}

async function main(): Promise<void> {
  const [mode, brokersArg, topicArg] = process.argv.slice(2);
  if (mode === 'produce') return produce((brokersArg ?? '').split(','), topicArg ?? '');

  const services = await provideServices({
    env: process.env,
    ownerPid: process.pid,
    log: note,
    noDocker: true,
  });
  const env = { ...process.env, ...serviceEnv(services) };
  const id = `bench_bt_${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    env: { ...env, CLICKHOUSE_DATABASE: id, TOPIC_TWEETS_RAW: `${id}.raw`, EXCHANGE_ID: 'binance' },
  });
  const brokers = config.kafka.brokers;
  const logger = pino({ level: 'silent' });
  const kafka = createKafka({ ...config.kafka, clientId: 'bench-backtest' });
  const admin = createClickHouse({ ...config.clickhouse, database: 'default' });
  const clickhouse = createClickHouse(config.clickhouse);
  const out = mkdtempSync(join(tmpdir(), 'bench-backtest-'));
  try {
    await ensureTopics(
      kafka,
      [{ name: config.topics.tweetsRaw, partitions: 3, replicationFactor: 1, retentionHours: -1 }],
      { brokers },
    );
    await migrate(admin, clickhouse, { url: config.clickhouse.url, database: id });
    const end = START + Math.ceil(count / tweetsPerSecond / 3600 + 2) * HOUR;
    await createClickHouseCandleStore(clickhouse, { url: config.clickhouse.url }).write(
      { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
      candles(end + 12 * HOUR),
      'bench',
    );
    note(
      `producing ${count.toLocaleString('en-US')} envelopes (${tweetsPerSecond.toFixed(2)}/s of event time) in a child process`,
    );
    const produced = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        'produce',
        brokers.join(','),
        config.topics.tweetsRaw,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'], env },
    );
    if (produced.status !== 0) throw new Error(`producing failed with ${produced.status ?? produced.signal}`);

    note('baseline: raw kafkajs consume');
    const rawCpuStart = process.cpuUsage();
    const rawSeconds = await rawConsume(kafka, config.topics.tweetsRaw, count);
    const rawCpu = process.cpuUsage(rawCpuStart);
    const baseline = Math.round(count / rawSeconds);
    note(`baseline ${baseline.toLocaleString('en-US')} msg/s (${rawSeconds.toFixed(1)} s)`);

    note('backtest');
    global.gc?.();
    const rss = trackPeakRss();
    const threads = trackThreadCpu();
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const outcome = await runBacktest(
      { kafka, clickhouse, config, logger, progress: process.stderr },
      { from: START - HOUR, to: end, symbols: ['BTC'], strategy: 'zscore', grid: {}, out, workers: 1 },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const peakRssMb = rss.stop();
    const threadCpu = threads.stop();
    const consumed = outcome.replay.consumed;
    if (consumed !== count) throw new Error(`backtest consumed ${consumed} of ${count}`);
    const value = Math.round(consumed / seconds);
    emit({
      bench: BENCH,
      value,
      unit: 'tweets/s',
      baseline,
      ratio: ratioOf(value, baseline),
      baselineUnit: 'messages/s (raw kafkajs consume, same messages, same run)',
      envelopes: count,
      seconds: Math.round(seconds * 10) / 10,
      baselineSeconds: Math.round(rawSeconds * 10) / 10,
      cpuSeconds: cpuSecondsOf(cpu),
      // What kafkajs alone costs the process (every thread, GC helpers and gunzip included): the part of
      // cpuSeconds no change to the operators or the runtime can remove.
      baselineCpuSeconds: cpuSecondsOf(rawCpu),
      mainThreadCpuSeconds: threadCpu.main,
      otherThreadCpuSeconds: threadCpu.others,
      peakRssMb,
      scoreThreads: config.process.scoreThreads,
      stored: outcome.replay.stored,
      buckets: outcome.ranked[0]!.summary.tweets.buckets,
      decisions: outcome.decisions.length,
      target: 70_000,
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
    const ka = kafka.admin();
    await ka.connect().catch(() => undefined);
    await ka.deleteTopics({ topics: [config.topics.tweetsRaw] }).catch(() => undefined);
    await ka.disconnect().catch(() => undefined);
    await admin.command({ query: `DROP DATABASE IF EXISTS ${id}` }).catch(() => undefined);
    await Promise.all([admin.close(), clickhouse.close()]);
    await services.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    note(`${BENCH} failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
