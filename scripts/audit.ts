/**
 * Runs `npm audit --omit=dev --audit-level=high --json` and turns its answer into one line and an
 * exit code, so CI with access to the registry's audit endpoint fails on high/critical advisories in
 * the runtime tree, while a registry that refuses the endpoint is reported as such rather than as a
 * finding. Usage: npx tsx scripts/audit.ts
 *
 * Exit codes: 0 no high/critical advisory; 1 high/critical advisories found; 2 the audit could not
 * run or its output could not be read (network error, 5xx, not JSON); 3 the registry refused the
 * audit endpoint (404/405/410 — e.g. a mirror that only serves GET). The manual review that stands
 * in for the last case is docs/security.md.
 */
import { spawnSync } from 'node:child_process';

export const EXIT = { clean: 0, findings: 1, failed: 2, refused: 3 } as const;

/** HTTP statuses with which a registry says it does not serve the audit endpoint at all. */
const REFUSED_STATUSES = new Set([404, 405, 410]);

const SEVERE = new Set(['high', 'critical']);

export interface Verdict {
  readonly code: (typeof EXIT)[keyof typeof EXIT];
  readonly line: string;
}

interface AuditReport {
  readonly auditReportVersion?: number;
  readonly vulnerabilities?: Record<string, { readonly severity?: string }>;
  readonly metadata?: { readonly vulnerabilities?: Record<string, number> };
  readonly statusCode?: number;
  readonly message?: string;
  readonly uri?: string;
  readonly error?: { readonly summary?: string; readonly code?: string };
}

/** Reads what `npm audit --json` printed into a verdict; `exitStatus` is npm's own exit status. */
export function judge(stdout: string, exitStatus: number | null): Verdict {
  let report: AuditReport;
  try {
    report = JSON.parse(stdout) as AuditReport;
  } catch {
    const head = stdout.trim().slice(0, 120) || '(no output)';
    return { code: EXIT.failed, line: `npm audit: unreadable output (exit ${exitStatus}): ${head}` };
  }

  if (report.metadata?.vulnerabilities !== undefined) {
    const counts = report.metadata.vulnerabilities;
    const severe = Object.entries(report.vulnerabilities ?? {})
      .filter(([, v]) => v.severity !== undefined && SEVERE.has(v.severity))
      .map(([name, v]) => `${name} (${v.severity})`);
    const summary = ['critical', 'high', 'moderate', 'low'].map((s) => `${counts[s] ?? 0} ${s}`).join(', ');
    if (severe.length > 0 || (counts.high ?? 0) + (counts.critical ?? 0) > 0) {
      return {
        code: EXIT.findings,
        line: `npm audit: ${summary} in runtime dependencies: ${severe.join(', ')}`,
      };
    }
    return {
      code: EXIT.clean,
      line: `npm audit: no high or critical advisory in runtime dependencies (${summary})`,
    };
  }

  const where = report.uri ?? 'the audit endpoint';
  if (report.statusCode !== undefined && REFUSED_STATUSES.has(report.statusCode)) {
    return {
      code: EXIT.refused,
      line: `npm audit: the registry refuses ${where} (HTTP ${report.statusCode}); no audit result — see docs/security.md for the manual review`,
    };
  }
  const why = report.message ?? report.error?.summary ?? report.error?.code ?? `exit ${exitStatus}`;
  return { code: EXIT.failed, line: `npm audit: could not get an audit result: ${why}` };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const verdict =
    run.error !== undefined
      ? { code: EXIT.failed, line: `npm audit: could not start npm: ${run.error.message}` }
      : judge(run.stdout, run.status);
  process.stderr.write(`${verdict.line}\n`);
  process.exitCode = verdict.code;
}
