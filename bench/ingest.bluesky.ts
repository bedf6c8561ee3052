/**
 * ingest.bluesky: envelopes/s from a local Jetstream (a WebSocket server in a worker thread sending
 * post events as fast as the socket takes them) through the real Jetstream client, rule matching, the
 * ingest runner and our producer into a fresh tweets.raw topic, next to a baseline of the raw kafkajs
 * producer (idempotent, acks=all, gzip, 2,000-message batches) sending the same keys, values,
 * timestamps and headers, already in memory, to another fresh topic in the same run. Every event
 * matches the rules (texts from the synthetic generator, rules for its six symbols), so the value is
 * what the source can write. Rounds alternate (baseline, ours) after a warm-up; each side reports its
 * best. Uses KAFKA_BROKERS when set, else starts the local test servers. BENCH_INGEST_COUNT sets the
 * events per round (default 50,000).
 */
import { Worker } from 'node:worker_threads';
import type { Kafka, Message } from 'kafkajs';
import { pino } from 'pino';
import { runIngest } from '../pipeline/ingest/index.js';
import { createJetstream$ } from '../pipeline/sources/jetstream.js';
import { classifyJetstreamMessage } from '../pipeline/sources/jetstream-event.js';
import { compileRules, fixedRules } from '../pipeline/sources/rules-file.js';
import { generateEnvelopes } from '../pipeline/sources/synthetic.js';
import { provideServices } from '../scripts/services/provide.js';
import { createKafka } from '../sinks/kafka/client.js';
import { createProducer } from '../sinks/kafka/producer.js';
import { deleteTopics, freshTopics, sendRaw } from './ingest-topics.js';
import { emit, note, ratioOf } from './lib.js';

const BENCH = 'ingest.bluesky';
const count = Number(process.env.BENCH_INGEST_COUNT ?? 50_000);
const rounds = Number(process.env.BENCH_INGEST_ROUNDS ?? 3);
const logger = pino({ level: 'silent' });
const rules = fixedRules(
  compileRules(
    [
      { value: '$BTC OR bitcoin OR btc', tag: 'BTC' },
      { value: '$ETH OR ethereum OR eth', tag: 'ETH' },
      { value: '$SOL OR solana OR sol', tag: 'SOL' },
      { value: '$ADA OR cardano OR ada', tag: 'ADA' },
      { value: '$DOGE OR dogecoin OR doge', tag: 'DOGE' },
      { value: '$XRP OR ripple OR xrp', tag: 'XRP' },
    ],
    BENCH,
  ),
);

// Jetstream events from the synthetic generator's texts; only those the rules match are kept, so
// every event sent is an envelope written.
const T0 = 1_767_225_600_000_000;
const events: string[] = [];
const messages: Message[] = [];
let bytes = 0;
let i = -1;
for (const envelope of generateEnvelopes({ seed: 7, count: count * 2, tweetsPerSecond: 50 })) {
  i += 1;
  if (events.length === count) break;
  const timeUs = T0 + i * 20_000;
  const text = JSON.stringify({
    did: `did:plc:${envelope.data.author_id ?? 'anon'}`,
    time_us: timeUs,
    kind: 'commit',
    commit: {
      rev: `3l${i}`,
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: `3lb${i.toString(36).padStart(10, '0')}`,
      record: {
        $type: 'app.bsky.feed.post',
        createdAt: envelope.data.created_at,
        langs: [envelope.data.lang ?? 'en'],
        text: envelope.data.text,
      },
      cid: `bafyrei${i}`,
    },
  });
  const outcome = classifyJetstreamMessage(text, BENCH);
  if (outcome.kind !== 'post' || rules.get().match(outcome.facts).length === 0) continue;
  events.push(text);
  bytes += Buffer.byteLength(text);
  messages.push({
    key: outcome.item.key,
    value: text,
    timestamp: String(outcome.item.createdAt),
    headers: { source: 'bluesky', ingested_at: new Date().toISOString() },
  });
}
if (events.length < count)
  throw new Error(`only ${events.length} of ${count} synthetic posts match the rules`);
note(`${count} Jetstream events, ${(bytes / 1e6).toFixed(1)} MB`);

// The Jetstream host, in a thread of its own so that sending does not share the ingest's event loop.
const server = new Worker(
  `const { parentPort, workerData } = require('node:worker_threads');
   const { WebSocketServer } = require(workerData.ws);
   const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
   wss.on('listening', () => parentPort.postMessage(wss.address().port));
   wss.on('connection', async (socket) => {
     const events = workerData.events;
     for (let i = 0; i < events.length; i++) {
       if (socket.readyState !== 1) return;
       if (i % 500 === 499) await new Promise((resolve) => socket.send(events[i], resolve));
       else socket.send(events[i]);
     }
   });`,
  { eval: true, workerData: { events, ws: import.meta.resolve('ws').replace('file://', '') } },
);
const port = await new Promise<number>((resolve) => server.once('message', resolve));
const host = `ws://127.0.0.1:${port}`;

const services = await provideServices({ env: process.env, ownerPid: process.pid, log: note });
const brokers = services.kafka.endpoint.brokers;
const kafka: Kafka = createKafka({ brokers, clientId: 'bench-ingest-bluesky', logger });

async function baseline(): Promise<number> {
  const topics = await freshTopics(kafka, brokers);
  const seconds = await sendRaw(kafka, topics.raw, messages, async (work) => {
    const started = performance.now();
    await work();
    return (performance.now() - started) / 1000;
  });
  await deleteTopics(kafka, topics);
  return seconds;
}

async function ours(): Promise<number> {
  const topics = await freshTopics(kafka, brokers);
  const producer = await createProducer(kafka, { brokers, logger, compression: 'gzip' });
  const controller = new AbortController();
  let matched = 0;
  const source = createJetstream$({
    hosts: [host],
    rules,
    logger,
    onCount: (outcome) => {
      if (outcome === 'matched' && ++matched === count) controller.abort();
    },
  });
  const started = performance.now();
  const stats = await runIngest({ source, producer, topics, logger, signal: controller.signal });
  const seconds = (performance.now() - started) / 1000;
  await producer.close();
  if (stats.envelopes !== count) throw new Error(`ingested ${stats.envelopes} of ${count} envelopes`);
  await deleteTopics(kafka, topics);
  return seconds;
}

try {
  note('warm-up');
  await baseline();
  await ours();
  let bestBaseline = Number.POSITIVE_INFINITY;
  let bestOurs = Number.POSITIVE_INFINITY;
  for (let round = 1; round <= rounds; round++) {
    const b = await baseline();
    const o = await ours();
    note(`round ${round}: baseline ${(count / b).toFixed(0)}/s, ours ${(count / o).toFixed(0)}/s`);
    bestBaseline = Math.min(bestBaseline, b);
    bestOurs = Math.min(bestOurs, o);
  }
  const value = Math.round(count / bestOurs);
  const base = Math.round(count / bestBaseline);
  emit({
    bench: BENCH,
    value,
    unit: 'envelopes/s',
    baseline: base,
    ratio: ratioOf(value, base),
    mb_per_s: Math.round((bytes / 1e6 / bestOurs) * 10) / 10,
    baseline_mb_per_s: Math.round((bytes / 1e6 / bestBaseline) * 10) / 10,
    envelopes: count,
    bytes,
    rounds,
    target_ratio: 0.7,
  });
} finally {
  await server.terminate();
  await services.stop();
}
