/**
 * The one small formatter for values that reach ClickHouse SQL as literals (18.16 has no query
 * parameters). Callers validate first (symbols, exchange ids, timeframes by pattern; times as numbers);
 * this escapes what is left so that no input can end the literal.
 */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return String(value);
}
