/**
 * The research report as a terminal table: per symbol, one line per (signal, horizon) with the IC, its
 * interval (marked * when it excludes 0), the hours used and excluded, the hit rate and the quintile
 * spread; then each signal's lead-lag peak.
 */
import type { HorizonResult, ResearchReport, SignalResult } from '../../sinks/reports/research-types.js';

const fixed = (x: number | null, digits = 4): string => (x === null ? '–' : x.toFixed(digits));
const percent = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const excludesZero = (i: { low: number; high: number } | null): boolean =>
  i !== null && (i.low > 0 || i.high < 0);

function spread(h: HorizonResult): string {
  const top = h.quintiles.at(-1)?.mean ?? null;
  const bottom = h.quintiles[0]?.mean ?? null;
  return top === null || bottom === null ? '–' : `${((top - bottom) * 10_000).toFixed(1)} bp`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function peakLine(s: SignalResult): string {
  const p = s.leadLag.peak;
  if (p === null) return `  ${s.label}: no IC (too few hours or a constant signal)`;
  const who =
    p.lag > 0 ? `leads price by ${p.lag} h` : p.lag < 0 ? `follows price by ${-p.lag} h` : 'moves with price';
  const interval = p.interval
    ? ` [${fixed(p.interval.low)}, ${fixed(p.interval.high)}] at ${(p.interval.level * 100).toFixed(2)}%`
    : '';
  const verdict = excludesZero(p.interval) ? '' : ' (not distinguishable from 0)';
  return `  ${s.label}: strongest at lag ${p.lag > 0 ? '+' : ''}${p.lag} h, ${who}: IC ${fixed(p.ic)}${interval}${verdict}`;
}

export function formatResearch(report: ResearchReport): string {
  const out: string[] = [];
  const level = `${Math.round(report.settings.confidence * 100)}%`;
  for (const s of report.symbols) {
    out.push(
      `${s.symbol} (${s.market}), ${report.from.slice(0, 16)} .. ${report.to.slice(0, 16)} UTC: ${s.hours} hours, ` +
        `${s.hoursWithTweets} with tweets, ${s.hoursWithCandles} with candles`,
    );
    const rows = s.signals.flatMap((signal) =>
      signal.horizons.map((h) => [
        signal.label,
        `${h.horizon}h`,
        `${fixed(h.ic)}${excludesZero(h.interval) ? '*' : ' '}`,
        h.interval ? `[${fixed(h.interval.low)}, ${fixed(h.interval.high)}]` : '–',
        String(h.n),
        `${h.excluded.noTweets}/${h.excluded.noCandles}/${h.excluded.noSignal}`,
        percent(h.hitRate),
        spread(h),
      ]),
    );
    out.push(
      ...table(
        ['signal', 'horizon', 'IC', `${level} interval`, 'hours', 'excluded t/c/s', 'hit rate', 'Q5-Q1'],
        rows,
      ),
    );
    out.push('lead-lag (IC of the signal with the 1 h return that many hours later):');
    out.push(...s.signals.map(peakLine), '');
  }
  out.push(
    `IC: Spearman rank correlation with the forward log return. * : the ${level} moving-block bootstrap ` +
      'interval excludes 0. excluded: hours without tweets / without candles / without the signal ' +
      '(a z-score warming up). Q5-Q1: mean forward return of the top quintile of the signal minus the bottom one.',
  );
  return `${out.join('\n')}\n`;
}
