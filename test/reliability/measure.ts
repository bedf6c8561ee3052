/**
 * Measurements shared by the reliability scenarios: progress sampling (produced to tweets.raw vs
 * accounted in ClickHouse intake), committed consumer lag, a child's RSS, the ingest-to-visible
 * latency derived from the two progress curves, and the lost/duplicated accounting.
 */
import { readFileSync } from 'node:fs';
import type { World } from '../support/faults.js';

export interface ProgressSample {
  /** ms since the sampler started */
  readonly t: number;
  /** messages acknowledged by Kafka in tweets.raw (sum of end offsets) */
  readonly produced: number;
  /** intake rows visible in ClickHouse (one per consumed message) */
  readonly visible: number;
  /** end offsets minus the group's committed offsets, summed over partitions (null if not sampled) */
  readonly committedLag: number | null;
  /** RSS of the process child in MB (null if not sampled) */
  readonly rssMb: number | null;
}

export function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export async function endOffsets(world: World, topic: string): Promise<number> {
  const admin = world.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

export async function intakeVisible(world: World): Promise<number> {
  try {
    const [row] = await world.rows<{ n: string }>('SELECT count() AS n FROM intake');
    return Number(row?.n ?? 0);
  } catch {
    return -1;
  }
}

/** Samples progress every `intervalMs` (lag and RSS every `slowEvery` samples) until stopped. */
export function startSampler(
  world: World,
  options: { groupId: string; pid: () => number | undefined; intervalMs?: number; slowEvery?: number },
): { samples: ProgressSample[]; stop(): Promise<void> } {
  const samples: ProgressSample[] = [];
  const admin = world.kafka.admin();
  const started = Date.now();
  let stopped = false;
  let n = 0;
  const loop = (async () => {
    await admin.connect();
    while (!stopped) {
      const due = Date.now() + (options.intervalMs ?? 250);
      try {
        const ends = await admin.fetchTopicOffsets(world.topic);
        const produced = ends.reduce((s, p) => s + Number(p.high), 0);
        const visible = await intakeVisible(world);
        let committedLag: number | null = null;
        let rss: number | null = null;
        if (n % (options.slowEvery ?? 40) === 0) {
          const [c] = await admin.fetchOffsets({ groupId: options.groupId, topics: [world.topic] });
          const at = new Map((c?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
          committedLag = ends.reduce((s, p) => s + Number(p.high) - Math.max(0, at.get(p.partition) ?? 0), 0);
          rss = rssMb(options.pid());
        }
        samples.push({ t: Date.now() - started, produced, visible, committedLag, rssMb: rss });
      } catch {
        // a dependency is down (fault scenarios): no sample this round
      }
      n++;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
      await admin.disconnect();
    },
  };
}

/** First time (ms, linearly interpolated) at which `pick(sample)` reached `k`, or null. */
function reachedAt(
  samples: readonly ProgressSample[],
  pick: (s: ProgressSample) => number,
  k: number,
): number | null {
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (pick(s) >= k) {
      if (i === 0) return s.t;
      const p = samples[i - 1]!;
      const span = pick(s) - pick(p);
      return span <= 0 ? s.t : p.t + ((k - pick(p)) / span) * (s.t - p.t);
    }
  }
  return null;
}

/**
 * The rate Kafka acknowledged messages at while `total` were written: from 1% to 100% of them, so the
 * producer's start-up (process start, topic creation, connect) does not count. Resolution: the
 * sampling interval over the run's length.
 */
export function ackedRate(samples: readonly ProgressSample[], total: number): number {
  const from = Math.max(1, Math.floor(total * 0.01));
  const start = reachedAt(samples, (s) => s.produced, from);
  const end = reachedAt(samples, (s) => s.produced, total);
  if (start === null || end === null || end <= start) return Number.NaN;
  return ((total - from) * 1000) / (end - start);
}

/**
 * Latency of the k-th message from "acknowledged in tweets.raw" to "its intake row visible in
 * ClickHouse", read off the two progress curves (messages are consumed in produce order per
 * partition, so the k-th produced is about the k-th visible). Resolution: the sampling interval.
 */
export function latencyQuantiles(
  samples: readonly ProgressSample[],
  from: number,
  to: number,
): { p50: number; p99: number; max: number } {
  const latencies: number[] = [];
  const step = Math.max(1, Math.floor((to - from) / 2_000));
  for (let k = from + 1; k <= to; k += step) {
    const produced = reachedAt(samples, (s) => s.produced, k);
    const visible = reachedAt(samples, (s) => s.visible, k);
    if (produced !== null && visible !== null) latencies.push(Math.max(0, visible - produced));
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { p50: q(0.5), p99: q(0.99), max: latencies.at(-1) ?? Number.NaN };
}

/**
 * Lost and duplicated, from ClickHouse alone: every tweets.raw offset must have an intake row (lost =
 * inputs without one); nothing may count twice: no (symbol, tweet) stored twice, and no hourly bucket
 * counting more tweets than `tweets` holds for its hour (the difference the other way is late tweets).
 */
export async function accounting(
  world: World,
  messagesIn: number,
): Promise<{
  distinct: number;
  lost: number;
  duplicated: number;
  tweets: number;
  bucketTweets: number;
  outcomes: Record<string, number>;
}> {
  const one = async (query: string): Promise<number> => {
    const [row] = await world.rows<{ n: string }>(query);
    return Number(row?.n ?? 0);
  };
  const distinct = await one('SELECT uniqExact(partition, offset) AS n FROM intake FINAL');
  const tweets = await one('SELECT count() AS n FROM tweets FINAL');
  const uniqueTweets = await one('SELECT uniqExact(symbol, tweet_id) AS n FROM tweets FINAL');
  const bucketTweets = await one('SELECT sum(count) AS n FROM sentiment_hourly FINAL');
  const overcount = await one(
    `SELECT sum(greatest(0, toInt64(count) - toInt64(n))) AS n FROM
       (SELECT symbol, bucket_start, count FROM sentiment_hourly FINAL)
       ANY LEFT JOIN
       (SELECT symbol, toStartOfHour(created_at) AS bucket_start, count() AS n FROM tweets FINAL GROUP BY symbol, bucket_start)
       USING (symbol, bucket_start)`,
  );
  const outcomes = Object.fromEntries(
    (
      await world.rows<{ outcome: string; n: string }>(
        'SELECT outcome, count() AS n FROM intake FINAL GROUP BY outcome',
      )
    ).map((o) => [o.outcome, Number(o.n)]),
  );
  return {
    distinct,
    lost: Math.max(0, messagesIn - distinct),
    duplicated: tweets - uniqueTweets + overcount,
    tweets,
    bucketTweets,
    outcomes,
  };
}
