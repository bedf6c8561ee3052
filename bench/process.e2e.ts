/**
 * process.e2e: end-to-end throughput of `sentiflow process` over a pre-filled tweets.raw, from start to
 * the last commit with every row in ClickHouse, next to baselines measured in the same run:
 *  (a) the same topic consumed by kafkajs doing nothing;
 *  (b) the same rows inserted into ClickHouse from memory;
 *  (c) (a) and (b) at once.
 * Value: tweets/s end to end (`sentiflow process --exit-when-idle` run from the built CLI in a process of
 * its own, from spawn to exit); ratio: ours / min(a, b); ratio_to_consume_and_insert: ours / (c).
 * Also the CPU-seconds the whole machine spent (busy, idle) during each run. Where Kafka and ClickHouse
 * share the machine's cores, (a) and (b) each have them to one server, while the process (and (c))
 * pays both servers' work at once: when (a)'s and (b)'s CPU-seconds together exceed what the cores give
 * in min(a, b)'s time divided by a target ratio, no process reaches that ratio. Also bytes on disk per
 * stored tweet.
 * (b) writes the rows the way the process does, with its formatters (formats.ts: TSV lines encoded into
 * UTF-8 chunks for tweets and intake, JSON for the rest) and its writer (table-writer.ts), encoding
 * included in its time.
 * Uses KAFKA_BROKERS / CLICKHOUSE_URL when set, else starts the local test servers.
 * BENCH_PROCESS_COUNT overrides the 1,000,000 envelopes (for a quick look); BENCH_PROCESS_THREADS the
 * score threads (default: the CLI's own default, one per core; 0 = everything on the consuming thread);
 * BENCH_PROCESS_NODE_ARGS node flags for the process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createScoringModel, createStrategy, type ScoredTweet } from '../operators/index.js';
import { loadConfig } from '../pipeline/config.js';
import { createLogger } from '../pipeline/logger.js';
import { scoreChain, windowChain } from '../pipeline/runtime/chain.js';
import { Collector, emptyBatch, intakeRecordOf } from '../pipeline/runtime/output/collector.js';
import { addIntakeRow, addTweetRows, TableRowsBuilder } from '../pipeline/runtime/output/formats.js';
import { createTableWriter } from '../pipeline/runtime/output/table-writer.js';
import { createScoreTask } from '../pipeline/runtime/score-task.js';
import type { IntakeRecord } from '../pipeline/runtime/tally.js';
import { createWindowTask } from '../pipeline/runtime/window-task.js';
import { generateEnvelopes } from '../pipeline/sources/synthetic.js';
import { startModuleWorker } from '../pipeline/start-worker.js';
import { topicSpecs } from '../pipeline/topics.js';
import { provideServices } from '../scripts/services/provide.js';
import { createClickHouse } from '../sinks/clickhouse/client.js';
import { migrate } from '../sinks/clickhouse/migrations.js';
import { createKafka } from '../sinks/kafka/client.js';
import { createProducer, type OutgoingMessage } from '../sinks/kafka/producer.js';
import { ensureTopics } from '../sinks/kafka/topics.js';
import { binPath, buildOnce } from '../test/support/cli.js';
import { ingestedMessage, partitionOf } from './ingested.js';
import { emit, note, ratioOf, trackMachineCpu } from './lib.js';
import type { RawConsumeData } from './raw-consume-worker.js';

const COUNT = Number(process.env.BENCH_PROCESS_COUNT ?? 1_000_000);
const THREADS = process.env.BENCH_PROCESS_THREADS;
const PARTITIONS = 3;
const START = Date.UTC(2026, 0, 1);

buildOnce();
const services = await provideServices({ env: process.env, ownerPid: process.pid, log: note });
try {
  const id = `bench_${Date.now().toString(36)}`;
  const env = {
    KAFKA_BROKERS: services.kafka.endpoint.brokers.join(','),
    CLICKHOUSE_URL: services.clickhouse.endpoint.url,
    CLICKHOUSE_USER: services.clickhouse.endpoint.user,
    CLICKHOUSE_PASSWORD: services.clickhouse.endpoint.password,
    CLICKHOUSE_DATABASE: id,
    TOPIC_TWEETS_RAW: `${id}.raw`,
    TOPIC_TWEETS_DLQ: `${id}.dlq`,
    TOPIC_SIGNALS: `${id}.signals`,
    TOPIC_ORDERS: `${id}.orders`,
    TOPIC_TWEETS_SCORED: `${id}.scored`,
    TOPIC_PARTITIONS: String(PARTITIONS),
  };
  const config = loadConfig({ env });
  const kafka = createKafka({ ...config.kafka });
  await ensureTopics(kafka, topicSpecs(config.topics), { brokers: config.kafka.brokers });
  const admin = createClickHouse({ ...config.clickhouse, database: 'default' });
  const clickhouse = createClickHouse(config.clickhouse);
  await migrate(admin, clickhouse, { url: config.clickhouse.url, database: id });
  const producer = await createProducer(kafka, { brokers: config.kafka.brokers, maxBatchMessages: 10_000 });

  // Fill the topic (not timed): a realistic hour-spanning stream at 300 tweets/s of event time.
  note(`filling ${config.topics.tweetsRaw} with ${COUNT} envelopes`);
  let pending: Promise<void>[] = [];
  let batch: OutgoingMessage[] = [];
  const memory: { partition: number; value: string; timestamp: number }[] = [];
  for (const envelope of generateEnvelopes({
    seed: 42,
    count: COUNT,
    startTime: START,
    tweetsPerSecond: 300,
  })) {
    // As ingest writes it; the in-memory copy on the partition the key sends it to.
    const message = ingestedMessage(envelope, Date.now());
    const value = message.value as string;
    const timestamp = message.timestamp ?? START;
    batch.push(message);
    memory.push({ partition: partitionOf(message.key ?? '', PARTITIONS), value, timestamp });
    if (batch.length === 10_000) {
      pending.push(producer.send(config.topics.tweetsRaw, batch));
      batch = [];
      if (pending.length >= 4) {
        await Promise.all(pending);
        pending = [];
      }
    }
  }
  pending.push(producer.send(config.topics.tweetsRaw, batch));
  await Promise.all(pending);
  await producer.flush();
  const bytes = memory.reduce((sum, m) => sum + m.value.length, 0);
  note(`filled: ${(bytes / 1e6).toFixed(0)} MB`);

  // (a) kafkajs consuming the topic, doing nothing (raw-consume-worker.ts).
  const rawConsume = (groupId: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const data: RawConsumeData = {
        brokers: config.kafka.brokers,
        topic: config.topics.tweetsRaw,
        groupId,
        count: COUNT,
      };
      const worker = startModuleWorker(import.meta.url, 'raw-consume-worker', { workerData: data });
      worker.once('message', () => {
        resolve();
        void worker.terminate();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`raw consume worker exited (code ${code})`)));
    });
  const consume = await timed(() => rawConsume(`${id}-raw`));
  note(`baseline (a) raw consume: ${consume.rate.toFixed(0)} msg/s`);

  // (b) the rows the process writes, inserted from memory into a scratch copy of the schema.
  const inMemory = chainOutput(memory);
  memory.length = 0;
  const scratch = `${id}_mem`;
  const scratchClient = createClickHouse({ ...config.clickhouse, database: scratch });
  await migrate(admin, scratchClient, { url: config.clickhouse.url, database: scratch });
  const storedRows = inMemory.scored.reduce((n, t) => n + t.symbols.length, 0);
  // Through the process's own writer (table-writer.ts), which also publishes the decisions.
  const writer = createTableWriter({
    clickhouse: scratchClient,
    clickhouseUrl: config.clickhouse.url,
    producer,
    topics: config.topics,
    logger: createLogger({ level: 'warn' }),
  });
  const insertFromMemory = async (): Promise<void> => {
    const chunk = 20_000;
    const tweetRows = new TableRowsBuilder();
    const intakeRows = new TableRowsBuilder();
    for (let at = 0; at < inMemory.intake.length; at += chunk) {
      for (const r of inMemory.intake.slice(at, at + chunk)) addIntakeRow(intakeRows, 'memory', r);
      for (const t of inMemory.scored.slice(at, at + chunk)) addTweetRows(tweetRows, t);
      await writer.write({
        ...emptyBatch(),
        tweets: tweetRows.take(),
        intake: intakeRows.take(),
        buckets: inMemory.buckets.slice(at, at + chunk),
        decisions: inMemory.decisions.slice(at, at + chunk),
      });
    }
  };
  const insert = await timed(insertFromMemory);
  note(`baseline (b) insert from memory: ${insert.rate.toFixed(0)} tweets/s`);

  // (c) = (a) and (b) at once (the rows inserted again: same keys, replaced): the least any process
  // that consumes the topic and writes these rows pays when both servers share this machine with it.
  const both = await timed(() => Promise.all([rawConsume(`${id}-both`), insertFromMemory()]));
  note(`consume and insert at once: ${both.rate.toFixed(0)} tweets/s`);

  // Ours: `sentiflow process --exit-when-idle` as users run it, in a fresh process of its own (the
  // bench's heap holds the filled topic and baseline (b); a process under test should not pay its GC),
  // from spawn to exit: start-up, consuming, the last commit with every row in ClickHouse, shutdown.
  const started = Date.now();
  const machine = trackMachineCpu();
  const child = await runChild(['process', '--exit-when-idle', '--no-trade', '--group', `${id}-process`], {
    ...env,
    ...(THREADS ? { PROCESS_SCORE_THREADS: THREADS } : {}),
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  });
  const seconds = (Date.now() - started) / 1000;
  const cpu = machine.stop();
  const summary = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
    consumed?: number;
    stored?: number;
  };
  if (child.code !== 0 || summary.consumed !== COUNT) {
    throw new Error(
      `sentiflow process exited ${child.code} after ${summary.consumed} of ${COUNT}: ${child.stderr.slice(-2000)}`,
    );
  }
  const rate = summary.consumed / seconds;

  const [disk] = await (
    await clickhouse.query({
      query: `SELECT sum(bytes_on_disk) AS bytes FROM system.parts
              WHERE database = currentDatabase() AND table = 'tweets' AND active`,
      format: 'JSONEachRow',
    })
  ).json<{ bytes: string }>();
  const baseline = Math.min(consume.rate, insert.rate);
  emit({
    bench: 'process.e2e',
    value: Math.round(rate),
    unit: 'tweets/s',
    baseline: Math.round(baseline),
    ratio: ratioOf(rate, baseline),
    envelopes: summary.consumed,
    stored: summary.stored,
    seconds: Math.round(seconds * 10) / 10,
    measured: 'sentiflow process --exit-when-idle in its own process, spawn to exit',
    score_threads: THREADS === undefined ? 'default' : Number(THREADS),
    raw_consume_per_s: Math.round(consume.rate),
    insert_from_memory_per_s: Math.round(insert.rate),
    consume_and_insert_per_s: Math.round(both.rate),
    ratio_to_consume_and_insert: ratioOf(rate, both.rate),
    peak_rss_mb: child.peakRssMb,
    // CPU-s of the whole machine (busy, idle) during each: the servers' share included.
    machine_cpu_s: {
      process: cpu,
      raw_consume: consume.cpu,
      insert_from_memory: insert.cpu,
      consume_and_insert: both.cpu,
    },
    bytes_on_disk_per_stored_tweet: Math.round(Number(disk?.bytes ?? 0) / Math.max(1, storedRows)),
  });

  await admin.command({ query: `DROP DATABASE IF EXISTS ${scratch}` });
  await admin.command({ query: `DROP DATABASE IF EXISTS ${id}` });
  await Promise.all([producer.close(), admin.close(), clickhouse.close(), scratchClient.close()]);
} finally {
  await services.stop();
}

/** Runs `work` for the COUNT messages: their rate per second, and the machine's CPU meanwhile. */
async function timed(
  work: () => Promise<unknown>,
): Promise<{ rate: number; cpu: ReturnType<ReturnType<typeof trackMachineCpu>['stop']> }> {
  const started = Date.now();
  const machine = trackMachineCpu();
  await work();
  const seconds = (Date.now() - started) / 1000;
  return { rate: COUNT / seconds, cpu: machine.stop() };
}

/** Runs the built CLI and samples its peak RSS (VmHWM) until it exits. */
function runChild(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const nodeArgs = process.env.BENCH_PROCESS_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, binPath, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const sample = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // exited between samples
      }
    }, 200);
    child.on('error', (error) => {
      clearInterval(sample);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(sample);
      resolve({ code, stdout, stderr, peakRssMb: Math.round(peakKb / 102.4) / 10 });
    });
  });
}

/** What the chain makes of the messages, unencoded (baseline b encodes it in its timed part). */
function chainOutput(messages: readonly { partition: number; value: string; timestamp: number }[]) {
  const model = createScoringModel();
  const partitions = [...Array(PARTITIONS).keys()];
  const scorers = partitions.map((p) => createScoreTask(p, scoreChain, { model }));
  const collector = new Collector({ topic: 'memory', rows: false });
  const window = createWindowTask(
    windowChain,
    { sources: partitions, strategy: createStrategy('zscore') },
    collector,
  );
  const scored: ScoredTweet[] = [];
  const intake: IntakeRecord[] = [];
  messages.forEach((m, i) => {
    const r = scorers[m.partition]!.push({
      partition: m.partition,
      offset: String(i),
      value: Buffer.from(m.value),
      timestamp: m.timestamp,
    });
    intake.push(intakeRecordOf(r));
    if (r.item.kind === 'scored') {
      scored.push(r.item);
      window.tweet(m.partition, r.item);
    } else window.advance(m.partition, r.eventTime);
  });
  window.finish();
  const { buckets, decisions } = collector.take();
  return { scored, intake, buckets, decisions };
}
