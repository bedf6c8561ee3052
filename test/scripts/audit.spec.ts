import { describe, expect, it } from 'vitest';
import { EXIT, judge } from '../../scripts/audit.js';

const BULK = 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk';

/** What npm 11 prints with --json when the registry answers the bulk endpoint with `status`. */
function refusal(status: number, text: string): string {
  return JSON.stringify({
    message: `${status} ${text} - POST ${BULK}`,
    method: 'POST',
    uri: BULK,
    headers: { allow: ['GET,HEAD'] },
    statusCode: status,
    body: '',
    error: { summary: '', detail: '' },
  });
}

function report(vulnerabilities: Record<string, string>): string {
  const counts: Record<string, number> = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 };
  for (const severity of Object.values(vulnerabilities)) counts[severity] = (counts[severity] ?? 0) + 1;
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: Object.fromEntries(
      Object.entries(vulnerabilities).map(([name, severity]) => [name, { name, severity, isDirect: false }]),
    ),
    metadata: { vulnerabilities: { ...counts, total: Object.keys(vulnerabilities).length } },
  });
}

describe('judge (npm audit verdict)', () => {
  it('passes a runtime tree with no advisory', () => {
    const verdict = judge(report({}), 0);
    expect(verdict.code).toBe(EXIT.clean);
    expect(verdict.line).toContain('no high or critical advisory');
  });

  it('passes moderate and low advisories but counts them', () => {
    const verdict = judge(report({ 'some-lib': 'moderate', other: 'low' }), 0);
    expect(verdict.code).toBe(EXIT.clean);
    expect(verdict.line).toContain('1 moderate, 1 low');
  });

  it('fails on high and critical advisories and names the packages', () => {
    const verdict = judge(report({ ws: 'high', protobufjs: 'critical', uuid: 'moderate' }), 1);
    expect(verdict.code).toBe(EXIT.findings);
    expect(verdict.line).toContain('ws (high)');
    expect(verdict.line).toContain('protobufjs (critical)');
    expect(verdict.line).not.toContain('uuid');
  });

  it.each([
    [405, 'Method Not Allowed'],
    [404, 'Not Found'],
    [410, 'Gone'],
  ])('reports a registry that refuses the endpoint (%i) with its own exit code', (status, text) => {
    const verdict = judge(refusal(status, text), 1);
    expect(verdict.code).toBe(EXIT.refused);
    expect(verdict.line).toContain(`HTTP ${status}`);
    expect(verdict.line).toContain(BULK);
    expect(verdict.line.split('\n')).toHaveLength(1);
  });

  it('treats a server error as a failed audit, not a refusal', () => {
    const verdict = judge(refusal(503, 'Service Unavailable'), 1);
    expect(verdict.code).toBe(EXIT.failed);
    expect(verdict.line).toContain('503 Service Unavailable');
  });

  it('treats a network error (no HTTP status) as a failed audit', () => {
    const verdict = judge(
      JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND' } }),
      1,
    );
    expect(verdict.code).toBe(EXIT.failed);
    expect(verdict.line).toContain('ENOTFOUND');
  });

  it('treats output that is not JSON as a failed audit', () => {
    const verdict = judge('npm error something broke\n', 1);
    expect(verdict.code).toBe(EXIT.failed);
    expect(verdict.line).toContain('npm error something broke');
  });

  it('keeps every exit code distinct', () => {
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });
});
