/**
 * The shell of the self-contained HTML reports (report.html, research.html): uPlot (MIT, leeoniya/uPlot)
 * read from node_modules at generation time and inlined with its CSS, the data as JSON in a script
 * element, no request of any kind when the page is viewed. Text from the data is escaped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside <script>: no `</script>`, no HTML comment openers. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

const BASE_STYLE = `body { font: 14px system-ui, sans-serif; margin: 20px; color: #222; }
table { border-collapse: collapse; margin-top: 16px; }
th, td { text-align: left; padding: 3px 12px; border-bottom: 1px solid #eee; }
th { font-weight: 600; }
.chart { margin: 12px 0; }`;

export interface HtmlPage {
  readonly title: string;
  /** Markup of the body (already escaped where it holds data). */
  readonly body: string;
  /** Read by the client script from the element `#report-data`. */
  readonly data: unknown;
  /** The page's own script, run after uPlot is defined. */
  readonly script: string;
  readonly style?: string;
}

export function htmlPage({ title, body, data, script, style = '' }: HtmlPage): string {
  const { js, css } = uplot();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${css}
${BASE_STYLE}
${style}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${js.replace(/<\/script/gi, '<\\/script')}</script>
<script>${script}</script>
</body>
</html>
`;
}
