import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scan } from '../../scripts/reliability/scan-credentials.js';

describe('no credentials in the repository', () => {
  it('finds key-like strings in a planted file', () => {
    const planted = {
      'pipeline/x.ts': `const k = 'AKIA${'Q'.repeat(16)}';\nexport const PASSWORD = "Zx81${'a'.repeat(20)}";`,
      'docs/key.pem': `-----BEGIN ${'RSA '}PRIVATE KEY-----`,
    };
    const found = scan(Object.keys(planted), (f) => planted[f as keyof typeof planted]);
    expect(found).toEqual([
      'pipeline/x.ts:1: looks like a AWS access key',
      'pipeline/x.ts:2: looks like a assigned secret',
      'docs/key.pem:1: looks like a private key',
    ]);
  });

  it('finds none in the files git tracks', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
    expect(scan(files, (f) => readFileSync(f, 'utf8'))).toEqual([]);
  });
});
