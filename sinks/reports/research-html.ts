/**
 * research.html: one self-contained page for a `sentiflow research` run. Per symbol: the IC of every
 * signal at every horizon with its interval (coloured when the interval excludes 0), the lead-lag
 * curves (IC of each signal with the 1 h return `lag` hours later: right of 0 the signal leads), each
 * curve's peak, and the mean forward return per quintile of each signal. When every chart is drawn,
 * `document.body.dataset.charts` holds their number (tests wait on it).
 */
import { escapeHtml, htmlPage } from './html-page.js';
import type { HorizonResult, ResearchInterval, ResearchReport, SymbolResult } from './research-types.js';

const fixed = (x: number | null, digits = 3): string => (x === null ? '–' : x.toFixed(digits));

function icCell(h: HorizonResult): string {
  const i = h.interval;
  const tone = i === null ? '' : i.low > 0 ? 'up' : i.high < 0 ? 'down' : '';
  const range = i ? `<br><small>[${fixed(i.low)}, ${fixed(i.high)}]</small>` : '';
  return `<td class="ic ${tone}">${fixed(h.ic)}${range}</td>`;
}

const intervalText = (i: ResearchInterval | null): string =>
  i ? `[${fixed(i.low)}, ${fixed(i.high)}] at ${(i.level * 100).toFixed(2)}%` : '–';

function symbolSection(s: SymbolResult, index: number): string {
  const horizons = s.signals[0]?.horizons.map((h) => h.horizon) ?? [];
  const head = horizons.map((h) => `<th>IC ${h} h</th>`).join('');
  const rows = s.signals
    .map((signal) => {
      const first = signal.horizons[0];
      const excluded = first
        ? `${first.excluded.noTweets} / ${first.excluded.noCandles} / ${first.excluded.noSignal}`
        : '–';
      const hit = first?.hitRate == null ? '–' : `${(first.hitRate * 100).toFixed(1)}%`;
      return `<tr><th>${escapeHtml(signal.label)}</th>${signal.horizons.map(icCell).join('')}<td>${first?.n ?? 0}</td><td>${excluded}</td><td>${hit}</td></tr>`;
    })
    .join('\n');
  const peaks = s.signals
    .map((signal) => {
      const p = signal.leadLag.peak;
      if (p === null)
        return `<tr><th>${escapeHtml(signal.label)}</th><td colspan="3">too few hours</td></tr>`;
      const who = p.lag > 0 ? `leads by ${p.lag} h` : p.lag < 0 ? `follows by ${-p.lag} h` : 'same hour';
      return `<tr><th>${escapeHtml(signal.label)}</th><td>${p.lag > 0 ? '+' : ''}${p.lag} h (${who})</td><td>${fixed(p.ic)}</td><td>${intervalText(p.interval)}</td></tr>`;
    })
    .join('\n');
  return `<section class="symbol">
<h2>${escapeHtml(s.symbol)} <small>${escapeHtml(s.market)}</small></h2>
<p>${s.hours} hours in the period: ${s.hoursWithTweets} with tweets, ${s.hoursWithCandles} with candles. Hours
without either are left out of every figure, never filled.</p>
<table class="ics"><tr><th>signal</th>${head}<th>hours used (1st horizon)</th><th>excluded: no tweets / no candles / no signal</th><th>hit rate</th></tr>
${rows}
</table>
<div id="leadlag-${index}" class="chart"></div>
<table class="peaks"><tr><th>signal</th><th>strongest lag</th><th>IC</th><th>interval (widened for the ${s.signals[0]?.leadLag.lags.length ?? 0} lags)</th></tr>
${peaks}
</table>
<div id="quintiles-${index}"></div>
</section>`;
}

function chartData(report: ResearchReport) {
  return report.symbols.map((s) => ({
    symbol: s.symbol,
    lags: s.signals[0]?.leadLag.lags ?? [],
    leadLag: s.signals.map((signal) => ({ label: signal.label, ic: signal.leadLag.ic })),
    horizons: (s.signals[0]?.horizons ?? []).map((h, i) => ({
      horizon: h.horizon,
      signals: s.signals.map((signal) => ({
        label: signal.label,
        // Mean forward log return per quintile, in basis points.
        bp: signal.horizons[i]!.quintiles.map((q) => (q.mean === null ? null : q.mean * 10_000)),
      })),
    })),
  }));
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

const CLIENT_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var colours = ${JSON.stringify(COLOURS)};
  var width = function () { return Math.max(480, Math.min(1100, document.body.clientWidth - 40)); };
  var drawn = 0;
  function chart(el, title, xLabel, yLabel, x, series, points) {
    new uPlot({
      title: title, width: width(), height: 300,
      scales: { x: { time: false } },
      // Whole steps on the x axis: lags in hours, quintiles 1 to 5.
      axes: [{ label: xLabel, incrs: [1, 2, 6, 12, 24] }, { label: yLabel, size: 70 }],
      series: [{ label: xLabel }].concat(series.map(function (s, i) {
        return { label: s.label, stroke: colours[i % colours.length], width: 2, points: { show: points } };
      }))
    }, [x].concat(series.map(function (s) { return s.values; })), el);
    drawn++;
  }
  data.forEach(function (s, i) {
    chart(document.getElementById('leadlag-' + i), s.symbol + ': IC by lag (right of 0: the signal leads price)',
      'lag (hours)', 'IC', s.lags, s.leadLag.map(function (l) { return { label: l.label, values: l.ic }; }), false);
    s.horizons.forEach(function (h) {
      var box = document.createElement('div');
      box.className = 'chart';
      document.getElementById('quintiles-' + i).appendChild(box);
      chart(box, s.symbol + ': mean ' + h.horizon + ' h forward return per quintile of the signal (bp)',
        'quintile (1 = lowest signal)', 'bp', [1, 2, 3, 4, 5],
        h.signals.map(function (q) { return { label: q.label, values: q.bp }; }), true);
    });
  });
  document.body.dataset.charts = String(drawn);
})();
`;

export function researchHtml(report: ResearchReport): string {
  const settings = report.settings;
  const title = `Research ${report.symbols.map((s) => s.symbol).join(',')} ${report.from.slice(0, 10)} – ${report.to.slice(0, 10)}`;
  const body = `<p class="how">IC: Spearman rank correlation of each signal at an hour with the forward log return
from that hour's close; intervals at ${Math.round(settings.confidence * 100)}% from a moving-block bootstrap
(${settings.resamples} resamples, blocks of at least ${settings.minBlockHours} h and twice the horizon), which
respects overlapping horizons and autocorrelation. Green: the interval lies above 0, red: below; grey: 0 is
inside it. Z-scores against the trailing ${settings.lookbackHours} h.</p>
${report.symbols.map(symbolSection).join('\n')}`;
  return htmlPage({
    title,
    body,
    data: chartData(report),
    script: CLIENT_SCRIPT,
    style: `td.ic { text-align: right; } td.up { background: #e3f4e3; } td.down { background: #f8e1e1; }
small { color: #666; } p.how { max-width: 1100px; color: #444; }`,
  });
}
