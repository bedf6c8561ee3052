import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../operators/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

// Comments may mention what is forbidden; the rules apply to code.
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const FORBIDDEN: readonly (readonly [string, RegExp])[] = [
  ['the wall clock (Date.now)', /\bDate\.now\s*\(/],
  ['the wall clock (new Date())', /\bnew Date\(\s*\)/],
  ['the wall clock (performance)', /\bperformance\.now\b/],
  ['randomness (Math.random)', /\bMath\.random\b/],
  ['randomness (crypto)', /\bcrypto\.(?:randomUUID|getRandomValues)\b/],
  ['the environment (process.)', /\bprocess\./],
  ['logging (console.)', /\bconsole\./],
  ['timers', /\b(?:setTimeout|setInterval|setImmediate)\b/],
  ['node: imports', /from\s+['"]node:/],
  [
    'I/O clients',
    /from\s+['"](?:kafkajs|@clickhouse\/[^'"]*|ccxt|pino[^'"]*|twitter-api-v2|prom-client)['"]/,
  ],
  ['pipeline/ or sinks/', /from\s+['"][./]*(?:pipeline|sinks)\//],
  ['dynamic imports', /\bimport\s*\(/],
  ['rxjs internals', /from\s+['"]rxjs\/internal/],
];

describe('operators/ purity', () => {
  const files = sources(root);

  it('finds the operator sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(FORBIDDEN)('no operator source uses %s', (_, pattern) => {
    const offenders = files
      .filter((f) => pattern.test(code(readFileSync(f, 'utf8'))))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('the checks themselves catch what they look for', () => {
    const sample = "import { x } from 'node:fs';\nconst t = Date.now();\nconsole.log(Math.random());";
    const caught = FORBIDDEN.filter(([, p]) => p.test(code(sample))).map(([name]) => name);
    expect(caught).toEqual([
      'the wall clock (Date.now)',
      'randomness (Math.random)',
      'logging (console.)',
      'node: imports',
    ]);
  });
});
