/** Typed strategy parameters parsed from strings such as `threshold=1.5` (CLI, config, sweeps). */

/** A bad strategy name or parameter. The pipeline reports it as a configuration error. */
export class StrategyError extends Error {
  override readonly name = 'StrategyError';
}

export interface ParamSpec {
  readonly kind: 'int' | 'number';
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly doc: string;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;
export type ParamValues<S extends ParamSpecs> = { readonly [K in keyof S]: number };
export type RawParams = Readonly<Record<string, string | number>>;

/**
 * Splits `threshold=1.5,lookback=24` (or a list of `key=value`) into raw params.
 * Throws StrategyError on an item without `=`.
 */
export function parseParamList(spec: string | readonly string[]): Record<string, string> {
  const items = typeof spec === 'string' ? spec.split(',') : spec.flatMap((s) => s.split(','));
  const out: Record<string, string> = {};
  for (const item of items) {
    const trimmed = item.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new StrategyError(`strategy parameter "${trimmed}" is not key=value`);
    out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return out;
}

/** Checks raw params against a spec: unknown names and bad values throw StrategyError; missing ones take defaults. */
export function resolveParams<S extends ParamSpecs>(
  strategy: string,
  specs: S,
  raw: RawParams = {},
): ParamValues<S> {
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(specs, key)) {
      throw new StrategyError(
        `strategy ${strategy} has no parameter "${key}"; known: ${Object.keys(specs).join(', ')}`,
      );
    }
  }
  const out: Record<string, number> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const given = raw[key];
    const value = given === undefined ? spec.default : typeof given === 'number' ? given : Number(given);
    const ok =
      (typeof given !== 'string' || given.trim() !== '') &&
      Number.isFinite(value) &&
      (spec.kind === 'number' || Number.isInteger(value)) &&
      value >= spec.min &&
      value <= spec.max;
    if (!ok) {
      const kind = spec.kind === 'int' ? 'an integer' : 'a number';
      throw new StrategyError(
        `strategy ${strategy}: ${key} must be ${kind} in [${spec.min}, ${spec.max}], got "${String(given)}"`,
      );
    }
    out[key] = value;
  }
  return out as ParamValues<S>;
}
