/** A SelectRows that answers by the first pattern the SQL matches and records every statement. */
import type { RawRow, SelectRows } from '../../../pipeline/query/result.js';

export function fakeSelect(answers: readonly [RegExp, readonly RawRow[]][]): SelectRows & { sql: string[] } {
  const sql: string[] = [];
  const select = async (statement: string): Promise<readonly RawRow[]> => {
    sql.push(statement);
    const hit = answers.find(([pattern]) => pattern.test(statement));
    if (!hit) throw new Error(`fake select: no answer for ${statement.slice(0, 80)}`);
    return hit[1];
  };
  return Object.assign(select, { sql });
}
