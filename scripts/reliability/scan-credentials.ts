/**
 * Fails (exit 1) when a file tracked by git holds something that looks like a credential: private
 * key blocks, AWS access keys, GitHub/Slack/npm tokens, long bearer tokens, or a password/secret/
 * api key assigned a literal value outside test/ (tests hold fake keys on purpose; real token formats
 * are still caught there). Usage: npx tsx scripts/reliability/scan-credentials.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const PATTERNS: readonly (readonly [string, RegExp])[] = [
  ['private key', /-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY-----/],
  ['AWS access key', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/],
  ['npm token', /\bnpm_[A-Za-z0-9]{36}\b/],
  ['X bearer token', /\bAAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{30,}/],
  ['bearer token', /Bearer\s+[A-Za-z0-9._~+/-]{40,}=*/],
  [
    'assigned secret',
    /\b(?:PASSWORD|SECRET|API_KEY|APIKEY|TOKEN)\s*[=:]\s*["']?(?=[A-Za-z0-9+/_-]{20,})(?=[^"'\s]*\d)(?=[^"'\s]*[A-Za-z])[A-Za-z0-9+/_-]{20,}/i,
  ],
];

/** Files whose content is third-party data, not ours to police (lexicons, lock files). */
const SKIP = [/^package-lock\.json$/, /^operators\/lexicon\//, /\.(png|jpg|gif|ico|woff2?)$/];

export function scan(files: readonly string[], read: (f: string) => string): string[] {
  const findings: string[] = [];
  for (const file of files) {
    if (SKIP.some((s) => s.test(file))) continue;
    let text: string;
    try {
      text = read(file);
    } catch {
      continue;
    }
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      for (const [what, pattern] of PATTERNS) {
        // Tests hold fake keys on purpose (markers the fakes check); real token formats still count there.
        if (what === 'assigned secret' && file.startsWith('test/')) continue;
        if (pattern.test(line)) findings.push(`${file}:${i + 1}: looks like a ${what}`);
      }
    });
  }
  return findings;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  const findings = scan(files, (f) => readFileSync(f, 'utf8'));
  for (const f of findings) process.stderr.write(`${f}\n`);
  process.stderr.write(`scanned ${files.length} tracked files: ${findings.length} possible credential(s)\n`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}
