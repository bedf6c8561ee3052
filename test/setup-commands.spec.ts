/**
 * What a user types is what CI runs: the README's quick start installs and tests with the npm commands
 * .ci/run runs before and up to `npm test`, and the Dockerfile installs with the same `npm ci`, with no
 * fallback that would hide a lock `npm ci` refuses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quickStart } from './container/support.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

/** The npm commands a shell text runs, in order and without options: `npm ci`, `npm run x`, `npm test`. */
function npmCommands(shell: string): string[] {
  return shell
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .flatMap((line) => line.split(/&&|\|\||[;|]/))
    .map((part) => part.trim().replace(/^(?:RUN\s+)?(?:\w+=\S*\s+)*/, ''))
    .filter((part) => /^npm\s/.test(part))
    .map((part) => {
      const words = part.split(/\s+/).filter((w) => !w.startsWith('-'));
      return words.slice(0, words[1] === 'run' ? 3 : 2).join(' ');
    });
}

/** The Dockerfile's instruction that installs from the lock: the RUN after the lock is copied in. */
function dockerInstallStep(dockerfile: string): string {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const copied = instructions.findIndex((line) => /^COPY\b.*\bpackage-lock\.json\b/.test(line));
  const step = instructions.slice(copied + 1).find((line) => line.startsWith('RUN '));
  if (copied < 0 || !step) throw new Error('docker/Dockerfile: no RUN after COPY of package-lock.json');
  return step;
}

const ci = npmCommands(read('../.ci/run'));

describe('install and test commands', () => {
  it('are read from shell text in order, without their options', () => {
    const text =
      'npm ci --no-audit \\\n  --no-fund\n# npm install\nX=1 npm test -- --reporter=json || status=$?';
    expect(npmCommands(text)).toEqual(['npm ci', 'npm test']);
  });

  it('in CI start with npm ci, with no npm install fallback, and include npm test', () => {
    expect(ci[0]).toBe('npm ci');
    expect(ci).not.toContain('npm install');
    expect(ci).toContain('npm test');
  });

  it("in the README's quick start are the ones CI runs up to npm test", () => {
    const readme = npmCommands(quickStart('README.md').join('\n'));
    expect(readme).toEqual(ci.slice(0, ci.indexOf('npm test') + 1));
  });

  it("in the Dockerfile's install step are CI's npm ci alone", () => {
    const step = dockerInstallStep(read('../docker/Dockerfile'));
    expect(npmCommands(step)).toEqual([ci[0]]);
    expect(step).toContain('--omit=dev');
  });
});
