/**
 * The one place values are written into SQL text. ClickHouse 18.16 has no query parameters, so
 * callers validate input first (symbols from the known set, times as numbers) and then format it here.
 */

/** A string literal: backslashes and quotes escaped, control characters as escapes. */
export function quoteString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/** A finite number literal; anything else is a programmer error. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

/** Epoch milliseconds as a DateTime expression (second precision, UTC). */
export function dateTimeLiteral(epochMs: number): string {
  return `toDateTime(${numberLiteral(Math.floor(epochMs / 1000))})`;
}

/** An identifier (table, database): only [A-Za-z_][A-Za-z0-9_]*, never quoted user input. */
export function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RangeError(`not a safe identifier: ${name}`);
  return name;
}

/** A list of string literals for IN (...). */
export function stringList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('empty IN list');
  return values.map(quoteString).join(', ');
}
