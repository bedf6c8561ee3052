/**
 * String values in ClickHouse TabSeparated rows: backslash, tab, newline and carriage return are
 * escaped (and, inside a quoted Array(String) element, the quote), so every server reads back exactly
 * the string that was written.
 */
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  "'": "\\'",
};
const escapeChar = (c: string): string => ESCAPES[c] ?? c;
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const NEEDS_QUOTE_ESCAPE = /[\\'\t\n\r]/;
const QUOTE_ESCAPED = /[\\'\t\n\r]/g;

/** A String field. */
export function tsvString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPED, escapeChar) : s;
}

/** An element of an Array(String) field, in quotes: 'it\'s'. */
export function tsvQuoted(s: string): string {
  return `'${NEEDS_QUOTE_ESCAPE.test(s) ? s.replace(QUOTE_ESCAPED, escapeChar) : s}'`;
}
