/** The ```sql examples of docs/analytics.md, so tests can run each one against the fixture. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/cli.js';

export function docsSqlExamples(): { title: string; sql: string }[] {
  const text = readFileSync(join(repoRoot, 'docs', 'analytics.md'), 'utf8');
  return [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => {
    const sql = (m[1] ?? '').trim().replace(/;$/, '');
    return { title: sql.split('\n')[0]?.slice(0, 60) ?? '', sql };
  });
}
