import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../pipeline/cli.js';

function captureStderr(): { text: () => string } {
  const chunks: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return { text: () => chunks.join('') };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('sentiflow CLI', () => {
  it('answers a mistyped flag with one line and exit code 2', async () => {
    const err = captureStderr();
    expect(await main(['node', 'sentiflow', 'doctor', '--timout', '5'])).toBe(2);
    expect(err.text().trim().split('\n')).toHaveLength(1);
    expect(err.text()).toContain("unknown option '--timout'");
  });

  it('answers an unknown command with a suggestion', async () => {
    const err = captureStderr();
    expect(await main(['node', 'sentiflow', 'doctr'])).toBe(2);
    expect(err.text()).toContain('doctor');
  });

  it('reports bad configuration in one line with exit code 2', async () => {
    const err = captureStderr();
    vi.stubEnv('KAFKA_BROKERS', 'not-a-broker');
    try {
      expect(await main(['node', 'sentiflow', 'topics', 'create'])).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(err.text()).toMatch(/^sentiflow: invalid configuration: KAFKA_BROKERS="not-a-broker"/);
    expect(err.text().trim().split('\n')).toHaveLength(1);
  });

  it('prints help and exits 0', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    expect(await main(['node', 'sentiflow', 'migrate', '--help'])).toBe(0);
    expect(out.join('')).toContain('Usage: sentiflow migrate');
  });
});
