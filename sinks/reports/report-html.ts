/**
 * report.html: one self-contained file (no network when viewed). uPlot (MIT, leeoniya/uPlot) is read
 * from node_modules at generation time and inlined with its CSS; the data travels as JSON in a
 * script element. Charts: equity against buy-and-hold, per symbol the hourly weighted sentiment
 * against the price with buy and sell markers, the drawdown; then the summary table.
 * When every chart is drawn, `document.body.dataset.charts` holds their number (tests wait on it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BacktestResult } from './types.js';

let uplotAssets: { js: string; css: string } | undefined;

function uplot(): { js: string; css: string } {
  if (uplotAssets) return uplotAssets;
  const require = createRequire(import.meta.url);
  uplotAssets = {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return uplotAssets;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside <script>: no `</script>`, no HTML comment openers. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null, digits = 2): string => (x === null ? '–' : x.toFixed(digits));

function summaryRows(result: BacktestResult): [string, string][] {
  const s = result.summary;
  return [
    ['Run', result.runId],
    ['Period', `${s.from} → ${s.to}`],
    ['Symbols', s.symbols.join(', ')],
    [
      'Strategy',
      `${s.strategy} ${Object.entries(s.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    ],
    ['Capital', num(s.capital)],
    ['Final equity', num(s.finalEquity)],
    ['Total return', pct(s.totalReturn)],
    ['Buy and hold', pct(s.buyAndHoldReturn)],
    ['Sharpe (annualised)', num(s.sharpe)],
    ['Sortino (annualised)', num(s.sortino)],
    ['Max drawdown', pct(-s.maxDrawdown)],
    ['Drawdown duration', `${s.maxDrawdownHours} h${s.maxDrawdownRecovered ? '' : ' (not recovered)'}`],
    ['Trades (fills)', String(s.trades)],
    ['Closed trades', String(s.closedTrades)],
    ['Win rate', pct(s.winRate)],
    ['Average trade', num(s.averageTrade)],
    ['Exposure (hours in market)', pct(s.exposure)],
    ['Fees paid', num(s.feesPaid)],
    ['Fee / slippage', `${s.feeBps} bps / ${s.slippageBps} bps`],
    ['Decisions', String(s.decisions)],
    ['Orders rejected or refused', String(s.ordersRejected)],
    ['Tweets consumed / stored', `${s.tweets.consumed} / ${s.tweets.stored}`],
    ['Hourly buckets', String(s.tweets.buckets)],
    ['Hours without candle', String(s.candleGaps)],
  ];
}

function chartData(result: BacktestResult) {
  const t = result.equity.map((p) => p.time / 1000);
  let peak = 0;
  const drawdown = result.equity.map((p) => {
    peak = Math.max(peak, p.equity);
    return peak > 0 ? (p.equity / peak - 1) * 100 : 0;
  });
  const symbols = Object.entries(result.hours).map(([symbol, hours]) => {
    const fills = new Map<number, { buy: number | null; sell: number | null }>();
    for (const trade of result.trades.filter((x) => x.symbol === symbol)) {
      // Marked in the hour the fill happened: the one opening at the decision time.
      const at = trade.decidedAt;
      const mark = fills.get(at) ?? { buy: null, sell: null };
      mark[trade.side] = trade.price;
      fills.set(at, mark);
    }
    return {
      symbol,
      t: hours.map((h) => h.time / 1000),
      sentiment: hours.map((h) => h.weightedMean),
      close: hours.map((h) => h.close),
      buys: hours.map((h) => fills.get(h.time)?.buy ?? null),
      sells: hours.map((h) => fills.get(h.time)?.sell ?? null),
    };
  });
  return {
    equity: {
      t,
      equity: result.equity.map((p) => p.equity),
      benchmark: result.equity.map((p) => p.benchmark),
    },
    drawdown: { t, drawdown },
    symbols,
  };
}

const CLIENT_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var width = function () { return Math.max(480, Math.min(1100, document.body.clientWidth - 40)); };
  var drawn = 0;
  function chart(id, opts, cols) {
    var el = document.getElementById(id);
    opts.width = width();
    opts.height = 280;
    new uPlot(opts, cols, el);
    drawn++;
  }
  chart('equity', {
    title: 'Equity vs buy-and-hold',
    axes: [{}, { size: 80 }],
    series: [{}, { label: 'Strategy', stroke: '#1f77b4', width: 2 }, { label: 'Buy and hold', stroke: '#999', dash: [6, 4] }],
  }, [data.equity.t, data.equity.equity, data.equity.benchmark]);
  data.symbols.forEach(function (s, i) {
    var box = document.createElement('div');
    box.id = 'symbol-' + i;
    box.className = 'chart';
    document.getElementById('symbols').appendChild(box);
    chart(box.id, {
      title: s.symbol + ': hourly weighted sentiment vs price',
      scales: { sent: { range: [-1, 1] } },
      axes: [{}, { scale: 'sent', label: 'sentiment', size: 60 }, { scale: '$', side: 1, label: 'price', size: 90, grid: { show: false } }],
      series: [
        {},
        { label: 'Weighted sentiment', scale: 'sent', stroke: '#ff7f0e', spanGaps: false },
        { label: 'Close', scale: '$', stroke: '#333' },
        { label: 'Buy', scale: '$', stroke: '#2ca02c', paths: function () { return null; }, points: { show: true, size: 9, fill: '#2ca02c' } },
        { label: 'Sell', scale: '$', stroke: '#d62728', paths: function () { return null; }, points: { show: true, size: 9, fill: '#d62728' } }
      ]
    }, [s.t, s.sentiment, s.close, s.buys, s.sells]);
  });
  chart('drawdown', {
    title: 'Drawdown (%)',
    axes: [{}, { size: 60 }],
    series: [{}, { label: 'Drawdown %', stroke: '#d62728', fill: 'rgba(214,39,40,0.15)' }],
  }, [data.drawdown.t, data.drawdown.drawdown]);
  document.body.dataset.charts = String(drawn);
})();
`;

export function reportHtml(result: BacktestResult): string {
  const { js, css } = uplot();
  const rows = summaryRows(result)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('\n');
  const title = `Backtest ${result.summary.strategy} ${result.summary.symbols.join(',')} ${result.summary.from.slice(0, 10)} – ${result.summary.to.slice(0, 10)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${css}
body { font: 14px system-ui, sans-serif; margin: 20px; color: #222; }
table { border-collapse: collapse; margin-top: 16px; }
th, td { text-align: left; padding: 3px 12px; border-bottom: 1px solid #eee; }
th { font-weight: 600; }
.chart { margin: 12px 0; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div id="equity" class="chart"></div>
<div id="symbols"></div>
<div id="drawdown" class="chart"></div>
<h2>Summary</h2>
<table id="summary">
${rows}
</table>
<script type="application/json" id="report-data">${scriptJson(chartData(result))}</script>
<script>${js.replace(/<\/script/gi, '<\\/script')}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
