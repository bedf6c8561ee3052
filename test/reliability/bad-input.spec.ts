/**
 * Bad input: a fuzzer (fast-check, fixed seed) writes tens of thousands of malformed payloads to
 * tweets.raw — random text, random JSON, random bytes (invalid UTF-8), envelope-shaped objects with
 * wrong types, truncated envelopes, deep nesting, large payloads, tombstones — mixed with valid ones,
 * and the same kind of lines into a file for `sentiflow ingest --source file:`. Every input must be
 * accounted for (stored, dropped with a reason, or dead-lettered), the DLQ must hold exactly the
 * rejections, the process must not exit, and its memory must stay bounded.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../sinks/kafka/producer.js';
import { buildOnce } from '../support/cli.js';
import { createWorld, startCli, type World } from '../support/faults.js';
import { syntheticMessages } from '../support/process-fixture.js';
import { uniqueName, waitFor } from '../support/servers.js';
import { endOffsets, rssMb } from './measure.js';
import { recordSummary, size } from './summary.js';

const COUNT = size('RELIABILITY_FUZZ_COUNT', 30_000, 10_000);
const START = Date.UTC(2026, 3, 1);
/** Process RSS may not grow beyond this (MB) however much garbage it reads. */
const RSS_LIMIT_MB = 700;

const valid = syntheticMessages({ seed: 3, count: 200, startTime: START, tweetsPerSecond: 1 }).map((m) =>
  String(m.value),
);

/** One malformed (or occasionally valid) payload. */
const payload: fc.Arbitrary<string | Buffer | null> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 3, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)) },
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          id: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.bigInt().map(String)),
          text: fc.oneof(fc.string(), fc.integer(), fc.array(fc.string()), fc.constant(null)),
          created_at: fc.oneof(
            fc.string(),
            fc.integer(),
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          ),
          lang: fc.oneof(fc.constant('en'), fc.string({ maxLength: 5 })),
          author_id: fc.oneof(fc.string(), fc.integer()),
        },
        { requiredKeys: [] },
      )
      .chain((data) => fc.boolean().map((wrapped) => JSON.stringify(wrapped ? { data } : data))),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...valid), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([v, cut]) => v.slice(0, Math.floor(v.length * cut))),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100_000, max: 400_000 })
      .map((n) => `{"data":{"id":"1","text":"${'a'.repeat(n)}"}}`),
  },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constantFrom(...valid) },
);

let world: World;
/** A world of its own for `--stage score`: its intake rows must come from that run alone. */
let scoreWorld: World;

beforeAll(async () => {
  buildOnce();
  [world, scoreWorld] = await Promise.all([createWorld('rel_fuzz'), createWorld('rel_fuzz_score')]);
});

afterAll(async () => {
  await Promise.all([world?.close(), scoreWorld?.close()]);
});

describe(`bad input: ${COUNT} fuzzed payloads`, () => {
  it.each([
    ['--stage all', 'all', () => world],
    ['--stage score', 'score', () => scoreWorld],
  ] as const)(
    'into tweets.raw, %s: every one is stored, dropped or dead-lettered; the process keeps going in bounded memory',
    async (_, stage, worldOf) => {
      const world = worldOf();
      const payloads = fc.sample(payload, { numRuns: COUNT, seed: 20261123 });
      const messages: OutgoingMessage[] = payloads.map((value, i) => ({
        key: `fuzz-${i}`,
        value,
        timestamp: START + i * 100,
      }));
      for (let i = 0; i < messages.length; i += 2_000)
        await world.producer.send(world.topic, messages.slice(i, i + 2_000));
      expect(await endOffsets(world, world.topic)).toBe(COUNT);

      const started = Date.now();
      const run = startCli(
        ['process', '--stage', stage, '--exit-when-idle', '--group', 'fuzz', '--flush-interval', '500'],
        { ...world.env, LOG_LEVEL: 'warn' },
      );
      const rss: number[] = [];
      const sampler = setInterval(() => {
        const r = rssMb(run.child.pid);
        if (r !== null) rss.push(r);
      }, 1_000);
      const code = await run.exited;
      clearInterval(sampler);
      expect(code, run.stderr().slice(-2_000)).toBe(0);

      const [intake] = await world.rows<{ n: string; rejected: string; stored: string; dropped: string }>(
        `SELECT uniqExact(partition, offset) AS n, countIf(outcome = 'rejected') AS rejected,
              countIf(outcome = 'stored') AS stored, countIf(outcome = 'dropped') AS dropped FROM intake FINAL`,
      );
      const dlq = await endOffsets(world, world.config.topics.tweetsDlq);
      const reasons = await world.rows<{ reason: string; n: string }>(
        `SELECT reason, count() AS n FROM intake FINAL WHERE outcome != 'stored' GROUP BY reason ORDER BY n DESC`,
      );
      process.stderr.write(
        `[fuzz --stage ${stage}] ${COUNT} payloads in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(intake)}; dlq ${dlq}; ` +
          `RSS max ${Math.max(...rss)} MB; reasons ${reasons.map((r) => `${r.reason}=${r.n}`).join(' ')}\n`,
      );
      recordSummary({
        scenario: `bad input: fuzzed tweets.raw, process --stage ${stage}`,
        messagesIn: COUNT,
        rowsOut: Number(intake?.n ?? 0),
        lost: COUNT - Number(intake?.n ?? 0),
        duplicated: dlq - Number(intake?.rejected ?? 0),
        recoveryMs: null,
        notes: `rejected ${intake?.rejected}, dropped ${intake?.dropped}, stored ${intake?.stored}, RSS max ${Math.max(...rss)} MB`,
      });
      expect(Number(intake?.n)).toBe(COUNT);
      expect(Number(intake?.rejected)).toBeGreaterThan(COUNT / 2);
      expect(dlq).toBe(Number(intake?.rejected));
      expect(reasons.every((r) => r.reason !== '')).toBe(true);
      expect(Math.max(...rss)).toBeLessThan(RSS_LIMIT_MB);
    },
  );

  it('into the file source: every line reaches tweets.raw or the DLQ, and ingest exits 0', async () => {
    const topic = uniqueName('fuzz_file');
    const lines = fc
      .sample(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.json({ maxDepth: 4 }),
          fc.constantFrom(...valid),
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        { numRuns: COUNT, seed: 7 },
      )
      .map((l) => l.replace(/[\r\n]/g, ' '))
      .filter((l) => l.trim() !== '');
    const file = join(tmpdir(), `${topic}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const env = {
      ...world.env,
      TOPIC_TWEETS_RAW: `${topic}.raw`,
      TOPIC_TWEETS_DLQ: `${topic}.dlq`,
      LOG_LEVEL: 'warn',
    };
    const run = startCli(['ingest', '--source', `file:${file}`, '--no-progress'], env);
    expect(await run.exited, run.stderr().slice(-2_000)).toBe(0);
    const raw = await waitFor(async () => endOffsets(world, `${topic}.raw`), {
      timeoutMs: 10_000,
      what: 'raw topic',
    });
    const dlq = await endOffsets(world, `${topic}.dlq`);
    process.stderr.write(`[fuzz-file] ${lines.length} lines -> raw ${raw}, dlq ${dlq}\n`);
    recordSummary({
      scenario: 'bad input: fuzzed file lines',
      messagesIn: lines.length,
      rowsOut: raw + dlq,
      lost: Math.max(0, lines.length - raw - dlq),
      duplicated: Math.max(0, raw + dlq - lines.length),
      recoveryMs: null,
      notes: `raw ${raw}, dlq ${dlq}`,
    });
    expect(raw + dlq).toBe(lines.length);
    expect(dlq).toBeGreaterThan(lines.length / 2);
  });
});
