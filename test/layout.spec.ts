/**
 * The layout rules the code review keeps asking for, as a test: source files stay small enough to
 * read in one sitting (the lexicon tables in operators/lexicon are data, not code), and each top-level folder holds what its name says (DESIGN.md's arrow of
 * dependencies: operators import nothing from pipeline or sinks; sinks only types from operators;
 * lib imports nothing of ours). Import cycles are Biome's (noImportCycles in biome.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const MAX_LINES = 300;
const CODE = ['lib', 'operators', 'pipeline', 'sinks'];

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** The relative imports of a file, resolved to repo paths ('operators/index.ts'). */
function importsOf(file: string): { path: string; typeOnly: boolean }[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: { path: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)) {
    const target = relative(root, join(root, file, '..', m[2] ?? ''));
    found.push({ path: target, typeOnly: m[1] !== undefined });
  }
  return found;
}

describe('layout', () => {
  it(`keeps every code file of ${CODE.join(', ')} at ${MAX_LINES} lines or fewer`, () => {
    const long = CODE.flatMap(sources)
      .filter((f) => !f.startsWith('operators/lexicon/'))
      .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });

  it('keeps operators/ free of pipeline/, sinks/ and lib/', () => {
    const wrong = sources('operators').flatMap((f) =>
      importsOf(f)
        .filter((i) => /^(pipeline|sinks|lib)\//.test(i.path))
        .map((i) => `${f} -> ${i.path}`),
    );
    expect(wrong).toEqual([]);
  });

  it('lets sinks/ import only types from operators/ and nothing from pipeline/', () => {
    const wrong = sources('sinks').flatMap((f) =>
      importsOf(f)
        .filter((i) => i.path.startsWith('pipeline/') || (i.path.startsWith('operators/') && !i.typeOnly))
        .map((i) => `${f} -> ${i.path}`),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps lib/ a leaf: shared by every layer, importing none of them', () => {
    const wrong = sources('lib').flatMap((f) =>
      importsOf(f)
        .filter((i) => !i.path.startsWith('lib/'))
        .map((i) => `${f} -> ${i.path}`),
    );
    expect(wrong).toEqual([]);
  });

  it('finds the imports it checks (a pattern that matched nothing would pass everything)', () => {
    expect(importsOf('pipeline/config.ts').map((i) => i.path)).toContain('pipeline/config/schema.js');
    expect(importsOf('pipeline/config/engine.ts')).toContainEqual({
      path: 'pipeline/config/schema.js',
      typeOnly: true,
    });
  });
});
