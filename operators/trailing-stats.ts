/**
 * The trailing statistics strategies and `sentiflow research` share, so a z-score means the same in a
 * decision and in a research table: population mean and standard deviation over the trailing values,
 * the standard deviation floored at `minStd`, nothing below `minHistory` values. Pure.
 */

export interface MeanStd {
  readonly mean: number;
  /** Population standard deviation (divides by n). */
  readonly std: number;
}

/** Mean and population standard deviation; NaN for no values. */
export function meanStd(values: readonly number[]): MeanStd {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

export interface TrailingZOptions {
  /** Fewest trailing values that make a z-score (fewer gives null). */
  readonly minHistory: number;
  /** Floor on the standard deviation; with 0, a constant history gives null. */
  readonly minStd: number;
}

/** `value` as a z-score against its trailing values, or null while warming up or on a flat history. */
export function trailingZ(
  value: number,
  trailing: readonly number[],
  options: TrailingZOptions,
): number | null {
  if (trailing.length < Math.max(1, options.minHistory)) return null;
  const { mean, std } = meanStd(trailing);
  const floored = Math.max(std, options.minStd);
  return floored > 0 ? (value - mean) / floored : null;
}
