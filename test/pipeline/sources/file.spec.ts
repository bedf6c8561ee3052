import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, type Observable, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.js';
import { createFileSource$ } from '../../../pipeline/sources/file.js';
import type { EnvelopeItem, IngestItem, RejectItem } from '../../../pipeline/sources/types.js';

const fixtures = fileURLToPath(new URL('../../fixtures/ingest/', import.meta.url));
let dir: string;

const all = (source$: Observable<IngestItem>): Promise<IngestItem[]> =>
  firstValueFrom(source$.pipe(toArray()));
const envelopes = (items: IngestItem[]) => items.filter((i): i is EnvelopeItem => i.kind === 'envelope');
const rejects = (items: IngestItem[]) => items.filter((i): i is RejectItem => i.kind === 'reject');

function line(n: number): string {
  return JSON.stringify({
    data: {
      id: String(1_700_000_000_000_000_000n + BigInt(n)),
      text: `$BTC #${n}`,
      created_at: '2026-01-01T00:00:00Z',
    },
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'file-source-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file source, NDJSON', () => {
  it('reads thousands of lines, rejecting broken ones with their line numbers and keeping the rest', async () => {
    const broken = new Map<number, string>([
      [17, '{"data":{"id":"1","text":"cut'],
      [1000, '{"data":{"text":"no id"}}'],
      [2500, '[1,2,3]'],
      [4999, 'not json at all'],
    ]);
    const text = Array.from(
      { length: 5000 },
      (_, i) => broken.get(i + 1) ?? (i === 99 ? '' : line(i + 1)),
    ).join('\n');
    const path = join(dir, 'big.ndjson');
    writeFileSync(path, `${text}\n`);

    const items = await all(createFileSource$({ path }));

    expect(envelopes(items)).toHaveLength(5000 - broken.size - 1);
    expect(rejects(items).map((r) => [r.reason, r.detail.split(':').slice(0, 3).join(':')])).toEqual([
      ['invalid_json', `file:${path}:17`],
      ['missing_id', `file:${path}:1000`],
      ['not_an_envelope', `file:${path}:2500`],
      ['invalid_json', `file:${path}:4999`],
    ]);
    expect(rejects(items)[0]!.payload).toBe(broken.get(17));
    const first = envelopes(items)[0]!;
    expect(first).toMatchObject({
      id: '1700000000000000001',
      createdAt: Date.UTC(2026, 0, 1),
      source: 'file',
    });
    expect(first.json).toBe(line(1));
  });

  it('reads no further than the sink asks (back-pressure)', async () => {
    const path = join(dir, 'pressure.ndjson');
    writeFileSync(path, Array.from({ length: 50_000 }, (_, i) => line(i + 1)).join('\n'));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let open = true;
    const seen: IngestItem[] = [];
    const done = new Promise<void>((resolve, reject) => {
      createFileSource$({ path, demand: { ready: () => (open ? undefined : gate) } }).subscribe({
        next: (item) => {
          seen.push(item);
          if (seen.length === 100) open = false;
        },
        error: reject,
        complete: resolve,
      });
    });
    const deadline = Date.now() + 5000;
    while (seen.length < 100 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    // Give the reader every chance to run ahead while the gate is shut: yield to I/O a few times.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(100);
    open = true;
    release();
    await done;
    expect(seen).toHaveLength(50_000);
  });

  it('ignores a byte-order mark at the start of the file', async () => {
    const path = join(dir, 'bom.ndjson');
    writeFileSync(path, `\uFEFF${line(1)}\n${line(2)}\n`);
    const items = await all(createFileSource$({ path }));
    expect(envelopes(items).map((e) => e.json)).toEqual([line(1), line(2)]);
  });

  it('fails with a clear configuration error when the file is missing', async () => {
    await expect(all(createFileSource$({ path: join(dir, 'nope.ndjson') }))).rejects.toThrow(ConfigError);
  });
});

describe('file source, CSV', () => {
  it('maps the documented layout to envelopes and rejects bad rows with line numbers', async () => {
    const path = join(fixtures, 'tweets.csv');
    const items = await all(createFileSource$({ path }));

    expect(envelopes(items).map((e) => e.id)).toEqual([
      '1800000000000000001',
      '1800000000000000002',
      '1800000000000000003',
      '1800000000000000008',
    ]);
    const second = JSON.parse(envelopes(items)[1]!.json);
    expect(second).toEqual({
      data: {
        id: '1800000000000000002',
        text: '$ETH, gas is cheap, "finally"',
        created_at: '2026-01-01T12:00:02.000Z',
        author_id: '43',
        lang: 'en',
      },
      includes: {
        users: [
          {
            id: '43',
            username: 'vitalik',
            created_at: '2011-06-01T00:00:00.000Z',
            public_metrics: { followers_count: 250000 },
          },
        ],
      },
      matching_rules: [],
    });
    expect(JSON.parse(envelopes(items)[2]!.json).data.text).toBe('$SOL\ntwo lines');
    expect(
      rejects(items).map((r) => `${r.reason} ${r.detail.replace(`file:${path}:`, 'line ').split(':')[0]}`),
    ).toEqual([
      'missing_id line 6',
      'csv_bad_time line 7',
      'csv_field_count line 8',
      'csv_bad_number line 9',
    ]);
  });

  it('refuses a CSV whose header lacks a required column', async () => {
    const path = join(dir, 'bad-header.csv');
    writeFileSync(path, 'id,text\n1,hello\n');
    await expect(all(createFileSource$({ path }))).rejects.toThrow(/header lacks created_at, author_id/);
  });
});
