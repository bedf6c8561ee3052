import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../pipeline/cli.js';
import { ENV_KEYS } from '../pipeline/config.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const dockerReadme = readFileSync(new URL('../docker/README.md', import.meta.url), 'utf8');

function quickstart(text: string): string {
  const match = /<!-- quickstart:start -->\n([\s\S]*?)<!-- quickstart:end -->/.exec(text);
  if (!match?.[1]) throw new Error('no quickstart block');
  return match[1];
}

describe('README stays true', () => {
  it('documents every environment variable the config reads', () => {
    const missing = ENV_KEYS.map((k) => k.name).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('lists every command of the CLI', () => {
    const commands = createProgram().commands.map((c) => c.name());
    const missing = commands.filter((name) => !new RegExp(`^\\| \`${name}\\b`, 'm').test(readme));
    expect(missing).toEqual([]);
  });

  it('shows the same quick start the container test runs', () => {
    expect(quickstart(readme)).toBe(quickstart(dockerReadme));
  });
});

describe('build context rules', () => {
  it('are the same for BuildKit and the classic builder', () => {
    const rules = (path: string): string[] =>
      readFileSync(new URL(path, import.meta.url), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(rules('../.dockerignore')).toEqual(rules('../docker/Dockerfile.dockerignore'));
  });
});
