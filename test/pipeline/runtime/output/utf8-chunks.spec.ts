import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { TableRowsBuilder, tsvBuffers } from '../../../../pipeline/runtime/output/formats.js';
import { Utf8Chunks } from '../../../../pipeline/runtime/output/utf8-chunks.js';
import { createRandom } from '../../../../pipeline/sources/synthetic-random.js';

const text = (chunks: readonly Uint8Array[]): string => Buffer.concat(chunks).toString('utf8');

/** Lines of 0 to ~3,000 characters: ASCII, 2-, 3- and 4-byte UTF-8 (emoji), tabs and newlines. */
function lines(seed: number, n: number): string[] {
  const random = createRandom(seed);
  const alphabet = ['a', 'Z', '7', '\t', 'é', 'ß', '中', '€', '🚀', '🐂', ' '];
  return Array.from({ length: n }, () => {
    const length = Math.floor(random() ** 2 * 3_000);
    let line = '';
    for (let i = 0; i < length; i++) line += alphabet[Math.floor(random() * alphabet.length)];
    return `${line}\n`;
  });
}

describe('Utf8Chunks', () => {
  it('hands back exactly the UTF-8 of what was added, in order, across many chunks', () => {
    const added = lines(3, 4_000);
    const chunks = new Utf8Chunks();
    for (const line of added) chunks.add(line);
    const taken = chunks.take();
    const expected = Buffer.from(added.join(''), 'utf8');
    expect(expected.length).toBeGreaterThan(6 * 1024 * 1024);
    expect(Buffer.concat(taken).equals(expected)).toBe(true);
    expect(taken.length).toBeGreaterThan(2);
    // Chunks grow from 64 KiB up to 4 MiB.
    expect(taken[0]!.buffer.byteLength).toBe(64 * 1024);
    expect(Math.max(...taken.map((c) => c.buffer.byteLength))).toBe(4 * 1024 * 1024);
  });

  it('takes a line longer than a whole chunk in one piece', () => {
    const chunks = new Utf8Chunks();
    const long = `${'🚀'.repeat(1_500_000)}\n`; // 6 MB of UTF-8
    chunks.add('a\n');
    chunks.add(long);
    chunks.add('b\n');
    expect(text(chunks.take())).toBe(`a\n${long}b\n`);
  });

  it('never cuts a line short at the end of a chunk (3 bytes per UTF-16 unit)', () => {
    const chunks = new Utf8Chunks();
    const ascii = Array.from({ length: 63 }, () => `${'a'.repeat(999)}\n`); // 63,000 of 65,536 bytes
    const wide = `${'中'.repeat(1_000)}\n`; // 3,001 bytes: more than the 2,536 left, less than 2 a unit
    for (const line of ascii) chunks.add(line);
    chunks.add(wide);
    const taken = chunks.take();
    expect(text(taken)).toBe(ascii.join('') + wide);
    expect(taken.map((c) => c.byteLength)).toEqual([63_000, 3_001]);
  });

  it('starts empty after a take, in buffers of its own', () => {
    const chunks = new Utf8Chunks();
    expect(chunks.take()).toEqual([]);
    chunks.add('one\n');
    const first = chunks.take();
    chunks.add('two\n');
    const second = chunks.take();
    expect([text(first), text(second)]).toEqual(['one\n', 'two\n']);
    expect(second[0]!.buffer).not.toBe(first[0]!.buffer);
    expect(chunks.take()).toEqual([]);
  });

  it('keeps appended chunks in their place between added lines', () => {
    const chunks = new Utf8Chunks();
    chunks.add('1\n');
    chunks.append([Buffer.from('2\n'), new Uint8Array(0), Buffer.from('3\n')]);
    chunks.add('4\n');
    expect(text(chunks.take())).toBe('1\n2\n3\n4\n');
  });
});

describe('TableRowsBuilder', () => {
  it("transfers a cut's chunks to another thread without a copy, lines and JSON rows intact", () => {
    const tweets = new TableRowsBuilder();
    const intake = new TableRowsBuilder();
    const added = lines(5, 300);
    for (const line of added) tweets.line(line);
    tweets.row({ tweet_id: '1', text: 'lone \ud800' });
    intake.line('tweets.raw\t0\t1\n');
    const rows = { tweets: tweets.take(), intake: intake.take() };
    const buffers = tsvBuffers(rows.tweets, rows.intake);
    expect(buffers.length).toBe(rows.tweets.tsv.length + rows.intake.tsv.length);

    const { port1, port2 } = new MessageChannel();
    port1.postMessage(rows, buffers);
    const received = receiveMessageOnPort(port2)?.message as typeof rows;
    port1.close();
    expect(buffers.every((b) => b.byteLength === 0)).toBe(true); // moved, not copied
    expect(text(received.tweets.tsv)).toBe(added.join(''));
    expect(text(received.intake.tsv)).toBe('tweets.raw\t0\t1\n');
    expect(received.tweets.json).toEqual([{ tweet_id: '1', text: 'lone \ud800' }]);
  });

  it('absorbs rows from elsewhere after its own', () => {
    const mine = new TableRowsBuilder();
    const theirs = new TableRowsBuilder();
    mine.line('a\n');
    mine.row({ n: 1 });
    theirs.line('b\n');
    theirs.row({ n: 2 });
    mine.absorb(theirs.take());
    mine.line('c\n');
    const rows = mine.take();
    expect(text(rows.tsv)).toBe('a\nb\nc\n');
    expect(rows.json).toEqual([{ n: 1 }, { n: 2 }]);
    expect(mine.take()).toEqual({ tsv: [], json: [] });
  });
});
