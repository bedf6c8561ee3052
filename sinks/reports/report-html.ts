/**
 * report.html: one self-contained file (no network when viewed; see html-page.ts). Charts: equity
 * against buy-and-hold; per symbol the price with buy and sell markers and the sentiment smoothed by a
 * volume-weighted EMA, with the social volume under it (cursors in sync); the drawdown. Then monthly
 * returns against buy-and-hold and the summary. Series longer than `maxPoints` hours are downsampled
 * into bins, and a bin with a fill keeps its marker, so years stay readable and no trade disappears.
 * When every chart is drawn, `document.body.dataset.charts` holds their number (tests wait on it).
 */
import { escapeHtml, htmlPage } from './html-page.js';
import { binSize, downsample, monthlyReturns, sentimentEma } from './report-series.js';
import type { BacktestResult } from './types.js';

export interface ReportOptions {
  /** Hours of the sentiment EMA (default 24). */
  readonly emaHours?: number;
  /** Most points per chart before hours are binned (default 2,000). */
  readonly maxPoints?: number;
}

export const DEFAULT_EMA_HOURS = 24;
const DEFAULT_MAX_POINTS = 2_000;

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
    ['Exposure (hours in market, dust is flat)', pct(s.exposure)],
    ['Fees paid', num(s.feesPaid)],
    ['Fee / slippage', `${s.feeBps} bps / ${s.slippageBps} bps`],
    ['Decisions', String(s.decisions)],
    ['Orders rejected or refused', String(s.ordersRejected)],
    ['Tweets consumed / stored', `${s.tweets.consumed} / ${s.tweets.stored}`],
    ['Hourly buckets', String(s.tweets.buckets)],
    ['Hours without candle', String(s.candleGaps)],
  ];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Two rows per year (strategy, buy and hold), a column per month and the year's compounded return. */
function monthlyTable(result: BacktestResult): string {
  const months = monthlyReturns(result.equity, result.summary.capital);
  const years = [...new Set(months.map((m) => m.year))];
  const cell = (x: number | undefined) =>
    x === undefined ? '<td></td>' : `<td class="${x >= 0 ? 'up' : 'down'}">${(x * 100).toFixed(1)}%</td>`;
  const rows = years.flatMap((year) => {
    const of = months.filter((m) => m.year === year);
    const line = (label: string, pick: (m: (typeof months)[number]) => number) => {
      const byMonth = new Map(of.map((m) => [m.month, pick(m)]));
      const total = of.reduce((acc, m) => acc * (1 + pick(m)), 1) - 1;
      const cells = MONTHS.map((_, i) => cell(byMonth.get(i + 1))).join('');
      return `<tr><th>${year}</th><th>${label}</th>${cells}${cell(total)}</tr>`;
    };
    return [line('strategy', (m) => m.strategy), line('buy and hold', (m) => m.benchmark)];
  });
  const head = `<tr><th></th><th></th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr>`;
  return `<table id="monthly">${head}\n${rows.join('\n')}</table>`;
}

function chartData(result: BacktestResult, options: Required<ReportOptions>) {
  const size = binSize(result.equity.length, options.maxPoints);
  let peak = 0;
  const drawdown = result.equity.map((p) => {
    peak = Math.max(peak, p.equity);
    return peak > 0 ? (p.equity / peak - 1) * 100 : 0;
  });
  /** Each bin at the time of its first hour, in epoch seconds (uPlot's unit). */
  const seconds = (ms: readonly number[], bin: number) =>
    ms.filter((_, i) => i % bin === 0).map((t) => t / 1000);
  const symbols = Object.entries(result.hours).map(([symbol, hours]) => {
    const bin = binSize(hours.length, options.maxPoints);
    const fills = new Map<number, { buy: number | null; sell: number | null }>();
    for (const trade of result.trades.filter((x) => x.symbol === symbol && x.amount > 0)) {
      // Marked in the hour the fill happened: the one opening at the decision time.
      const mark = fills.get(trade.decidedAt) ?? { buy: null, sell: null };
      mark[trade.side] = trade.price;
      fills.set(trade.decidedAt, mark);
    }
    return {
      symbol,
      bin,
      t: seconds(
        hours.map((h) => h.time),
        bin,
      ),
      close: downsample(
        hours.map((h) => h.close),
        bin,
        'last',
      ),
      sentiment: downsample(sentimentEma(hours, options.emaHours), bin, 'last'),
      volume: downsample(
        hours.map((h) => h.count),
        bin,
        'mean',
      ),
      buys: downsample(
        hours.map((h) => fills.get(h.time)?.buy ?? null),
        bin,
        'last',
      ),
      sells: downsample(
        hours.map((h) => fills.get(h.time)?.sell ?? null),
        bin,
        'last',
      ),
    };
  });
  return {
    emaHours: options.emaHours,
    equity: {
      bin: size,
      t: seconds(
        result.equity.map((p) => p.time),
        size,
      ),
      equity: downsample(
        result.equity.map((p) => p.equity),
        size,
        'last',
      ),
      benchmark: downsample(
        result.equity.map((p) => p.benchmark),
        size,
        'last',
      ),
      drawdown: downsample(drawdown, size, 'min'),
    },
    symbols,
  };
}

const CLIENT_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var width = function () { return Math.max(480, Math.min(1100, document.body.clientWidth - 40)); };
  var per = function (bin) { return bin > 1 ? ' (each point ' + bin + ' h)' : ''; };
  var drawn = 0;
  function chart(el, opts, cols, height) {
    opts.width = width();
    opts.height = height || 280;
    new uPlot(opts, cols, el);
    drawn++;
  }
  function box(parent, id) {
    var el = document.createElement('div');
    el.id = id;
    el.className = 'chart';
    parent.appendChild(el);
    return el;
  }
  var e = data.equity;
  chart(document.getElementById('equity'), {
    title: 'Equity vs buy-and-hold' + per(e.bin),
    axes: [{}, { size: 80 }],
    series: [{}, { label: 'Strategy', stroke: '#1f77b4', width: 2 }, { label: 'Buy and hold', stroke: '#999', dash: [6, 4] }],
  }, [e.t, e.equity, e.benchmark]);
  var marker = function (label, colour) {
    return { label: label, scale: '$', stroke: colour, paths: function () { return null; }, points: { show: true, size: 9, fill: colour } };
  };
  data.symbols.forEach(function (s, i) {
    var parent = document.getElementById('symbols');
    var sync = { key: 'symbol-' + i };
    chart(box(parent, 'symbol-' + i), {
      title: s.symbol + ': price and sentiment (EMA ' + data.emaHours + ' h)' + per(s.bin),
      cursor: { sync: sync },
      scales: { sent: { range: [-1, 1] } },
      axes: [{}, { scale: '$', label: 'price', size: 90 }, { scale: 'sent', side: 1, label: 'sentiment', size: 60, grid: { show: false } }],
      series: [
        {},
        { label: 'Close', scale: '$', stroke: '#333' },
        { label: 'Sentiment EMA', scale: 'sent', stroke: '#ff7f0e', width: 2 },
        marker('Buy', '#2ca02c'),
        marker('Sell', '#d62728')
      ]
    }, [s.t, s.close, s.sentiment, s.buys, s.sells]);
    chart(box(parent, 'volume-' + i), {
      title: s.symbol + ': social volume (tweets per hour)' + per(s.bin),
      cursor: { sync: sync },
      axes: [{}, { size: 90 }],
      series: [{}, { label: 'Tweets per hour', stroke: '#6b8ebf', fill: 'rgba(107,142,191,0.35)', paths: uPlot.paths.bars({ size: [1, 20] }) }]
    }, [s.t, s.volume], 140);
  });
  chart(document.getElementById('drawdown'), {
    title: 'Drawdown (%)' + per(e.bin),
    axes: [{}, { size: 60 }],
    series: [{}, { label: 'Drawdown %', stroke: '#d62728', fill: 'rgba(214,39,40,0.15)' }],
  }, [e.t, e.drawdown]);
  document.body.dataset.charts = String(drawn);
})();
`;

export function reportHtml(result: BacktestResult, options: ReportOptions = {}): string {
  const settings = {
    emaHours: options.emaHours ?? DEFAULT_EMA_HOURS,
    maxPoints: options.maxPoints ?? DEFAULT_MAX_POINTS,
  };
  const rows = summaryRows(result)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('\n');
  const s = result.summary;
  const title = `Backtest ${s.strategy} ${s.symbols.join(',')} ${s.from.slice(0, 10)} – ${s.to.slice(0, 10)}`;
  const body = `<div id="equity" class="chart"></div>
<div id="symbols"></div>
<div id="drawdown" class="chart"></div>
<h2>Monthly returns</h2>
${monthlyTable(result)}
<h2>Summary</h2>
<table id="summary">
${rows}
</table>`;
  return htmlPage({
    title,
    body,
    data: chartData(result, settings),
    script: CLIENT_SCRIPT,
    style: `#monthly td { text-align: right; font-variant-numeric: tabular-nums; }
#monthly td.up { color: #1a7f37; } #monthly td.down { color: #c62828; }`,
  });
}
