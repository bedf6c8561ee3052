import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createScoringModel } from '../../../operators/score-tweets.js';
import { createScoreCommand, scoreLine, scoreStream } from '../../../pipeline/commands/score.js';
import { DEFAULT_SCORER_MODEL_FILE, loadScorerModel } from '../../../pipeline/scorer-model.js';

const model = createScoringModel();
const combined = createScoringModel({ mode: 'combined', model: loadScorerModel(DEFAULT_SCORER_MODEL_FILE) });
const scoreMain = fileURLToPath(new URL('../../../pipeline/commands/score-main.ts', import.meta.url));

/** A Writable that keeps every line, optionally slow (each write completes on a later turn). */
function collector(options: { slow?: boolean; highWaterMark?: number } = {}): {
  stream: Writable;
  lines: () => string[];
} {
  let text = '';
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      if (options.slow) setImmediate(done);
      else done();
    },
  });
  return { stream, lines: () => text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '') };
}

async function run(chunks: (string | Uint8Array)[], maxLineLength?: number): Promise<unknown[]> {
  const out = collector();
  await scoreStream({ input: Readable.from(chunks), output: out.stream, model, maxLineLength });
  return out.lines().map((l) => JSON.parse(l) as unknown);
}

describe('scoreLine', () => {
  it('scores plain text with the tokens that mattered', () => {
    const result = JSON.parse(scoreLine('not bullish', 1, model).json);
    expect(result.score).toBeLessThan(0);
    expect(result.tokens).toEqual([{ token: 'bullish', value: -1.924 }]);
  });

  it('shows what the lexicon and the learned model each contributed', () => {
    const result = JSON.parse(scoreLine('$BTC to the moon, shorts getting rekt', 1, combined).json);
    expect(result).toMatchObject({
      scorer: 'combined',
      modelVersion: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(result.lexicon).toBeGreaterThan(0);
    expect(result.tokens.map((t: { token: string }) => t.token)).toContain('to the moon');
    expect(result.parts.lexicon).toBe(result.lexicon);
    expect(result.parts.lexicon + result.parts.model).toBeCloseTo(result.score, 3);
    const features = result.model.features as { feature: string; value: number }[];
    const logit = result.model.bias + features.reduce((s, f) => s + f.value, 0);
    expect(Math.tanh(logit / 2)).toBeCloseTo(result.model.score, 2);
    expect(features.map((f) => f.feature)).toContain('the moon');
    expect(features.map((f) => f.feature)).toContain('cashtag #1');
  });

  it('has no model parts in lexicon mode', () => {
    const result = JSON.parse(scoreLine('to the moon', 1, model).json);
    expect(result).toMatchObject({ scorer: 'lexicon' });
    expect(result.lexicon).toBe(result.score);
    expect(result.parts).toBeUndefined();
  });

  it('scores the text field of a JSON line and echoes the other fields', () => {
    const result = JSON.parse(scoreLine('{"id":"42","text":"to the moon","lang":"en"}', 1, model).json);
    expect(result).toMatchObject({ id: '42', lang: 'en' });
    expect(result.text).toBeUndefined();
    expect(result.score).toBeGreaterThan(0.4);
  });

  it.each([
    ['{"id": 1, text: oops}', /invalid JSON/],
    ['{"id": 1}', /missing string field "text"/],
    ['{"text": 5}', /missing string field "text"/],
  ])('turns %j into an error line with its line number', (line, message) => {
    const result = scoreLine(line, 17, model);
    expect(result.ok).toBe(false);
    const parsed = JSON.parse(result.json);
    expect(parsed.line).toBe(17);
    expect(parsed.error).toMatch(message);
  });

  it('reads another text field when asked', () => {
    expect(JSON.parse(scoreLine('{"body":"great"}', 1, model, 'body').json).score).toBeGreaterThan(0);
  });
});

describe('scoreStream', () => {
  it('writes one result per input line, in order, and goes on after a malformed line', async () => {
    const results = await run([
      '{"id":1,"text":"great"}\n{"id":2,',
      'oops\n\n{"id":3,"text":"awful"}\r\nlast line',
    ]);
    expect(results).toHaveLength(5);
    expect(results[0]).toMatchObject({ id: 1 });
    expect(results[1]).toMatchObject({ line: 2, error: expect.stringMatching(/invalid JSON/) });
    const empty = { score: 0, scorer: 'lexicon', lexicon: 0, tokens: [] };
    expect(results[2]).toEqual(empty);
    expect(results[3]).toMatchObject({ id: 3 });
    expect((results[3] as { score: number }).score).toBeLessThan(0);
    expect(results[4]).toEqual(empty);
  });

  it('decodes UTF-8 split across chunks (emoji cut in half)', async () => {
    const bytes = new TextEncoder().encode('moon 🚀\n');
    const results = await run([bytes.slice(0, 7), bytes.slice(7)]);
    expect(results).toEqual([
      {
        score: expect.any(Number),
        scorer: 'lexicon',
        lexicon: expect.any(Number),
        tokens: [
          { token: 'moon', value: 2 },
          { token: '🚀', value: 2.6 },
        ],
      },
    ]);
  });

  it('skips an over-long line with an error instead of buffering it', async () => {
    const long = 'x'.repeat(50);
    const results = await run(['good\n', long.slice(0, 30), long.slice(30), ' more\nbad\n'], 40);
    expect(results).toHaveLength(3);
    expect(results[1]).toEqual({ line: 2, error: 'line longer than 40 characters' });
    expect((results[2] as { score: number }).score).toBeLessThan(0);
  });

  it('honours back-pressure: a slow reader keeps the input from running ahead', async () => {
    let produced = 0;
    let maxAhead = 0;
    const out = collector({ slow: true, highWaterMark: 1024 });
    let written = 0;
    const original = out.stream.write.bind(out.stream);
    out.stream.write = ((chunk: string, callback?: (error?: Error | null) => void) => {
      written += chunk.split('\n').length - 1;
      return original(chunk, callback);
    }) as Writable['write'];
    async function* lines(): AsyncGenerator<string> {
      for (let i = 0; i < 20_000; i++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - written);
        yield `{"id":${i},"text":"bullish on $BTC"}\n`;
      }
    }
    const summary = await scoreStream({ input: lines(), output: out.stream, model });
    expect(summary).toEqual({ lines: 20_000, errors: 0 });
    expect(out.lines()).toHaveLength(20_000);
    // Each yielded chunk is written (and awaited) before the next is pulled.
    expect(maxAhead).toBeLessThanOrEqual(2);
  });

  it('streams a million lines in flat memory', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const total = 1_000_000;
    const heap: number[] = [];
    let count = 0;
    let lastId = -1;
    let carry = '';
    const sink = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        const text = carry + chunk.toString('utf8');
        const parts = text.split('\n');
        carry = parts.pop()!;
        for (const part of parts) {
          const id = Number(part.slice(6, part.indexOf(',')));
          if (id !== lastId + 1) throw new Error(`out of order: ${id} after ${lastId}`);
          lastId = id;
          count++;
        }
        done();
      },
    });
    const texts = ['gm, $ETH looking strong 🚀', 'not bullish, this is a rug', 'price unchanged today'];
    async function* input(): AsyncGenerator<string> {
      const batch = 1000;
      for (let i = 0; i < total; i += batch) {
        if (i % 200_000 === 0) {
          gc();
          heap.push(process.memoryUsage().heapUsed);
        }
        let chunk = '';
        for (let j = i; j < i + batch; j++) chunk += `{"id":${j},"text":"${texts[j % 3]}"}\n`;
        yield chunk;
      }
    }
    const summary = await scoreStream({ input: input(), output: sink, model });
    gc();
    heap.push(process.memoryUsage().heapUsed);
    expect(summary).toEqual({ lines: total, errors: 0 });
    expect(count).toBe(total);
    const growthMb = (Math.max(...heap.slice(1)) - heap[1]!) / 1024 / 1024;
    // Holding the results would take >100 MB; flat streaming stays within noise.
    expect(growthMb).toBeLessThan(20);
  }, 120_000);
});

describe('createScoreCommand', () => {
  it('has a description and options for --help', () => {
    const command = createScoreCommand();
    expect(command.name()).toBe('score');
    expect(command.description()).toMatch(/stdin/);
    expect(command.helpInformation()).toMatch(/--text-field/);
    expect(command.helpInformation()).toMatch(/--no-crypto/);
  });

  it('runs over injected stdin/stdout and reports bad lines on stderr only', async () => {
    const stdout = collector();
    const stderr = collector();
    const command = createScoreCommand({
      stdin: Readable.from(['{"id":1,"text":"wagmi"}\n{bad\n']),
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    await command.parseAsync(['--no-crypto', '--scorer', 'lexicon'], { from: 'user' });
    const results = stdout.lines().map((l) => JSON.parse(l));
    // wagmi is crypto slang
    expect(results[0]).toEqual({ id: 1, score: 0, scorer: 'lexicon', lexicon: 0, tokens: [] });
    expect(results[1]).toMatchObject({ line: 2 });
    expect(stderr.lines()).toEqual(['score: 1 of 2 lines could not be read (see "error" lines)']);
  });
});

describe('sentiflow score as a process', () => {
  it('reads stdin and writes nothing but result lines on stdout', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', scoreMain], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const input = ['I love this!', '{"id":"a","text":"$SOL dumping, rekt"}', '{"id":', 'plain text'];
    child.stdin.end(`${input.join('\n')}\n`);
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(input.length);
    const results = lines.map((l) => JSON.parse(l));
    expect(results[0].score).toBeGreaterThan(0);
    expect(results[0]).toMatchObject({ scorer: 'combined', parts: expect.any(Object) }); // the default
    expect(results[1]).toMatchObject({ id: 'a' });
    expect(results[1].score).toBeLessThan(0);
    expect(results[2]).toMatchObject({ line: 3, error: expect.stringMatching(/invalid JSON/) });
    expect(stderr).toMatch(/1 of 4 lines/);
  }, 30_000);

  it('refuses a model file of another version with one line and exit code 2', async () => {
    const path = join(tmpdir(), `sentiflow-score-model-${process.pid}.json`);
    writeFileSync(path, JSON.stringify({ format: 'sentiflow-scorer/0', version: 'x', bits: 18 }));
    const child = spawn(process.execPath, ['--import', 'tsx', scoreMain, '--model', path], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.end('hello\n');
    const [code] = await once(child, 'close');
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toEqual([
      `sentiflow score: scorer model file ${path}: it is format "sentiflow-scorer/0", this sentiflow reads sentiflow-scorer/1 (retrain it with npm run train:scorer)`,
    ]);
  }, 30_000);
});
