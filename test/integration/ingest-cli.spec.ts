import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestTopics } from '../../pipeline/ingest/index.js';
import { createXClient } from '../../pipeline/sources/x-client.js';
import { addRules } from '../../pipeline/sources/x-rules.js';
import { freePort } from '../../scripts/services/ports.js';
import { brokers, freshTopics, readAll, testKafka, untilCount } from '../pipeline/ingest/kafka-helpers.js';
import { binPath, buildOnce } from '../support/cli.js';
import { type FakeXServer, startFakeXServer } from '../support/fake-x-server.js';
import { waitFor } from '../support/servers.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

interface Running {
  readonly child: ChildProcess;
  readonly result: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function start(args: readonly string[], topics: IngestTopics, env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: repo,
    env: {
      PATH: process.env.PATH,
      KAFKA_BROKERS: brokers().join(','),
      TOPIC_TWEETS_RAW: topics.raw,
      TOPIC_TWEETS_DLQ: topics.dlq,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sentiflow ${args.join(' ')} did not finish; stderr: ${stderr.slice(-2000)}`));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, result };
}

function finishedStats(stderr: string): { envelopes: number } {
  const line = stderr.split('\n').find((l) => l.includes('"ingest finished"'));
  if (line === undefined) throw new Error(`no "ingest finished" log line in: ${stderr.slice(-2000)}`);
  return JSON.parse(line) as { envelopes: number };
}

let kafka: Kafka;
let dir: string;
beforeAll(() => {
  buildOnce();
  kafka = testKafka();
  dir = mkdtempSync(join(tmpdir(), 'ingest-cli-it-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sentiflow ingest / export / rules as a process (real Kafka)', () => {
  it('stops reading on SIGTERM, flushes, exits 0, and Kafka holds exactly what it reported', async () => {
    const topics = await freshTopics(kafka);
    const port = await freePort();
    const running = start(
      ['ingest', '--source', 'synthetic', '--rate', '200', '--state-topic', topics.state],
      topics,
      { METRICS_PORT: String(port) },
    );
    await untilCount(kafka, topics.raw, 50);
    // The paced source reports its schedule on /metrics (a source that cannot keep up shows there).
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return text.includes('sentiflow_source_behind_messages') && text;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'pace metrics on /metrics' },
    );
    expect(metrics).toMatch(/sentiflow_source_target_rate\{source="synthetic"[^}]*\} 200\b/);
    running.child.kill('SIGTERM');
    const { code, stderr } = await running.result;

    expect(code).toBe(0);
    const { envelopes } = finishedStats(stderr);
    expect(envelopes).toBeGreaterThanOrEqual(50);
    expect(await readAll(kafka, topics.raw)).toHaveLength(envelopes);
  });

  it('ingests a file, then export | ingest reproduces the topic', async () => {
    const topics = await freshTopics(kafka);
    const input = join(dir, 'in.ndjson');
    const lines = Array.from({ length: 1500 }, (_, i) =>
      JSON.stringify({
        data: {
          id: String(1_820_000_000_000_000_000n + BigInt(i)),
          text: `$ETH ${i}`,
          created_at: '2026-03-02T00:00:00Z',
        },
      }),
    );
    writeFileSync(input, `${lines.join('\n')}\nnot json\n`);
    const ingest = await start(['ingest', '--source', `file:${input}`, '--state-topic', topics.state], topics)
      .result;
    expect(ingest.code).toBe(0);
    expect(finishedStats(ingest.stderr)).toMatchObject({ envelopes: 1500, rejected: 1 });

    const exported = await start(['export', '--from', '2026-03-01', '--to', '2026-03-03'], topics).result;
    expect(exported.code).toBe(0);
    expect(exported.stdout.trim().split('\n').sort()).toEqual([...lines].sort());

    const copy = await freshTopics(kafka);
    const file = join(dir, 'exported.ndjson');
    writeFileSync(file, exported.stdout);
    const again = await start(['ingest', '--source', `file:${file}`, '--state-topic', copy.state], copy)
      .result;
    expect(again.code).toBe(0);
    expect((await readAll(kafka, copy.raw)).map((r) => r.value?.toString()).sort()).toEqual(
      [...lines].sort(),
    );
  });

  it('export ends quietly with exit 0 when its reader goes away (export | head)', async () => {
    const topics = await freshTopics(kafka);
    const input = join(dir, 'many.ndjson');
    const big = 'x'.repeat(2000);
    writeFileSync(
      input,
      Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({ data: { id: String(1_860_000_000_000_000_000n + BigInt(i)), text: `$SOL ${big}` } }),
      ).join('\n'),
    );
    expect(
      (await start(['ingest', '--source', `file:${input}`, '--state-topic', topics.state], topics).result)
        .code,
    ).toBe(0);

    const running = start(['export'], topics);
    running.child.stdout?.once('data', () => running.child.stdout?.destroy());
    const { code, stderr } = await running.result;
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|Error:| {4}at /);
    // It stopped reading instead of streaming the whole topic into a closed pipe.
    const finished = stderr.split('\n').find((l) => l.includes('"export finished"'));
    expect(JSON.parse(finished ?? '{}').count).toBeLessThan(3000);
  });

  describe('against the fake X server (trusted through NODE_EXTRA_CA_CERTS)', () => {
    let server: FakeXServer;
    beforeAll(async () => {
      server = await startFakeXServer();
    });
    afterAll(async () => {
      await server.close();
    });
    const xEnv = (token = 'test-token') => ({
      X_BEARER_TOKEN: token,
      X_API_URL: server.url,
      NODE_EXTRA_CA_CERTS: server.caPath,
    });

    it('rules add and list go to X', async () => {
      const topics = await freshTopics(kafka);
      const added = await start(['rules', 'add', '$BTC', '--tag', 'BTC'], topics, xEnv()).result;
      expect(added.code).toBe(0);
      const listed = await start(['rules', 'list'], topics, xEnv()).result;
      expect(listed.stdout).toMatch(/^\d+\tBTC\t\$BTC$/m);
    });

    it('streams from X into Kafka and exits 0 on SIGINT', async () => {
      const client = createXClient({ bearerToken: 'test-token', apiUrl: server.url, ca: server.ca });
      if (server.rules.length === 0) await addRules(client, [{ value: '$BTC', tag: 'BTC' }]);
      const topics = await freshTopics(kafka);
      const running = start(['ingest', '--state-topic', topics.state], topics, xEnv());
      await server.until((s) => s.openStreams === 1, 30_000);
      for (let n = 0; n < 20; n++) {
        server.publish({
          data: { id: String(1_830_000_000_000_000_000n + BigInt(n)), text: `$BTC live ${n}` },
        });
      }
      await untilCount(kafka, topics.raw, 20);
      running.child.kill('SIGINT');
      const { code, stderr } = await running.result;
      expect(code).toBe(0);
      expect(finishedStats(stderr).envelopes).toBe(20);
    });

    it('ends with one clear line and exit 1 when X rejects the token', async () => {
      const topics = await freshTopics(kafka);
      const { code, stderr } = await start(
        ['ingest', '--source', 'x-stream', '--state-topic', topics.state],
        topics,
        {
          ...xEnv('wrong'),
          LOG_LEVEL: 'silent',
        },
      ).result;
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        'sentiflow: X rejected the credentials for the filtered stream (401 Unauthorized): check X_BEARER_TOKEN, and the machine clock if the token is right',
      ]);
    });
  });
});
