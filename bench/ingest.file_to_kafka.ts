/**
 * ingest.file_to_kafka: envelopes/s from the file source through the ingest runner and our producer
 * into a fresh tweets.raw topic, next to a baseline of the raw kafkajs producer (idempotent, acks=all,
 * gzip, 2,000-message batches, one in flight) sending the same keys, values, timestamps and headers, already
 * in memory, to another fresh topic in the same run. Rounds alternate (baseline, ours) after a warm-up;
 * each side reports its best round. Needs KAFKA_BROKERS (`eval "$(npm run -s services:up)"`).
 * BENCH_INGEST_COUNT sets the envelopes per round (default 50,000).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, Message } from 'kafkajs';
import { pino } from 'pino';
import { runIngest } from '../pipeline/ingest/index.js';
import { createFileSource$ } from '../pipeline/sources/file.js';
import { generateEnvelopes } from '../pipeline/sources/synthetic.js';
import { createKafka } from '../sinks/kafka/client.js';
import { createProducer } from '../sinks/kafka/producer.js';
import { deleteTopics, freshTopics, sendRaw } from './ingest-topics.js';
import { ingestedKafkaMessage } from './ingested.js';
import { emit, note, ratioOf } from './lib.js';

const BENCH = 'ingest.file_to_kafka';
const brokersEnv = process.env.KAFKA_BROKERS;
if (brokersEnv === undefined || brokersEnv === '') {
  note(`${BENCH} needs KAFKA_BROKERS: run eval "$(npm run -s services:up)" first`);
  process.exit(2);
}
const brokers = brokersEnv.split(',');
const count = Number(process.env.BENCH_INGEST_COUNT ?? 50_000);
const rounds = Number(process.env.BENCH_INGEST_ROUNDS ?? 3);
const logger = pino({ level: 'silent' });
const kafka: Kafka = createKafka({ brokers, clientId: 'bench-ingest', logger });

const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
const path = join(dir, 'tweets.ndjson');
const lines: string[] = [];
const messages: Message[] = [];
for (const envelope of generateEnvelopes({ seed: 42, count, tweetsPerSecond: 50 })) {
  // The same key, value, timestamp and headers as the ingest runner writes; its value is the file's line.
  const message = ingestedKafkaMessage(envelope, Date.now(), 'file');
  messages.push(message);
  lines.push(message.value as string);
}
writeFileSync(path, `${lines.join('\n')}\n`);
const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
lines.length = 0; // only the baseline's messages stay in memory
note(`${count} envelopes, ${(bytes / 1e6).toFixed(1)} MB in ${path}`);

interface Round {
  readonly seconds: number;
  /** Main-thread CPU (user + system) spent, in ms. */
  readonly cpuMs: number;
}

async function timed(work: () => Promise<void>): Promise<Round> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuMs: (used.user + used.system) / 1000 };
}

async function baseline(): Promise<Round> {
  const topics = await freshTopics(kafka, brokers);
  const round = await sendRaw(kafka, topics.raw, messages, timed);
  await deleteTopics(kafka, topics);
  return round;
}

async function ours(): Promise<Round> {
  const topics = await freshTopics(kafka, brokers);
  const producer = await createProducer(kafka, { brokers, logger, compression: 'gzip' });
  let envelopes = 0;
  const round = await timed(async () => {
    const stats = await runIngest({
      source: (demand) => createFileSource$({ path, demand }),
      producer,
      topics,
      logger,
    });
    envelopes = stats.envelopes;
  });
  await producer.close();
  if (envelopes !== count) throw new Error(`ingested ${envelopes} of ${count} envelopes`);
  await deleteTopics(kafka, topics);
  return round;
}

try {
  note('warm-up');
  await baseline();
  await ours();
  let bestBaseline: Round = { seconds: Number.POSITIVE_INFINITY, cpuMs: 0 };
  let bestOurs: Round = { seconds: Number.POSITIVE_INFINITY, cpuMs: 0 };
  for (let round = 1; round <= rounds; round++) {
    const b = await baseline();
    const o = await ours();
    note(
      `round ${round}: baseline ${(count / b.seconds).toFixed(0)}/s (${b.cpuMs.toFixed(0)} ms CPU), ` +
        `ours ${(count / o.seconds).toFixed(0)}/s (${o.cpuMs.toFixed(0)} ms CPU)`,
    );
    if (b.seconds < bestBaseline.seconds) bestBaseline = b;
    if (o.seconds < bestOurs.seconds) bestOurs = o;
  }
  const value = Math.round(count / bestOurs.seconds);
  const base = Math.round(count / bestBaseline.seconds);
  emit({
    bench: BENCH,
    value,
    unit: 'envelopes/s',
    baseline: base,
    ratio: ratioOf(value, base),
    mb_per_s: Math.round((bytes / 1e6 / bestOurs.seconds) * 10) / 10,
    baseline_mb_per_s: Math.round((bytes / 1e6 / bestBaseline.seconds) * 10) / 10,
    cpu_ms_per_1k: Math.round((bestOurs.cpuMs / count) * 1000),
    baseline_cpu_ms_per_1k: Math.round((bestBaseline.cpuMs / count) * 1000),
    envelopes: count,
    bytes,
    rounds,
    target_ratio: 0.7,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
