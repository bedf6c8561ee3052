/**
 * Labelled texts for `npm run train:scorer`, read from the files the public data sets ship (docs/scorer.md
 * says where to get each). The format is told by the content:
 * - CSV with a header holding `tag` and `body` (StockTwits messages as the stocktwits_scraper project
 *   exports them): Bullish -> +1, Bearish -> -1, untagged rows skipped;
 * - CSV without a header whose first field is Bullish or Bearish (StockTwits, label,text);
 * - CSV with the header `text,label` (Twitter Financial News): 1 bullish, 0 bearish, 2 neutral skipped;
 * - JSON object of {sentence, info: [{sentiment_score}]} (FiQA 2018 task 1 posts): the sign of the mean
 *   score, 0 skipped;
 * - TSV lines `label<TAB>text` with label bullish|bearish|positive|negative|1|-1 (`#` lines are comments).
 * Texts are kept as written; `normalizeText` is only for deduplication and the published hashes.
 */
import { createHash } from 'node:crypto';

export interface Example {
  readonly source: string;
  readonly text: string;
  /** +1 bullish / positive, -1 bearish / negative. */
  readonly label: 1 | -1;
}

/** The documented normalisation: lowercase, runs of whitespace as one space, trimmed. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

export function textDigest(text: string): string {
  return createHash('sha256').update(normalizeText(text), 'utf8').digest('hex');
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const LABELS: Readonly<Record<string, 1 | -1>> = {
  bullish: 1,
  positive: 1,
  '1': 1,
  '+1': 1,
  bearish: -1,
  negative: -1,
  '-1': -1,
};

/** Every labelled text of one file, in file order (unlabelled and neutral rows left out). */
export function readExamples(source: string, content: string): Example[] {
  const out: Example[] = [];
  const add = (label: 1 | -1 | undefined, text: string | undefined): void => {
    if (label !== undefined && text !== undefined && text.trim() !== '') out.push({ source, text, label });
  };
  const trimmed = content.trimStart();
  if (trimmed.startsWith('{')) {
    const posts = JSON.parse(content) as Record<
      string,
      { sentence: string; info: { sentiment_score: string }[] }
    >;
    for (const post of Object.values(posts)) {
      const mean = post.info.reduce((s, i) => s + Number(i.sentiment_score), 0) / post.info.length;
      add(mean > 0 ? 1 : mean < 0 ? -1 : undefined, post.sentence);
    }
    return out;
  }
  const firstLine = trimmed.slice(0, trimmed.indexOf('\n') >>> 0);
  if (firstLine.includes('\t') || trimmed.startsWith('#')) {
    for (const line of content.split('\n')) {
      if (line.startsWith('#') || !line.includes('\t')) continue;
      const tab = line.indexOf('\t');
      add(LABELS[line.slice(0, tab).trim().toLowerCase()], line.slice(tab + 1));
    }
    return out;
  }
  const rows = parseCsv(content);
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  if (header.includes('tag') && header.includes('body')) {
    const tag = header.indexOf('tag');
    const body = header.indexOf('body');
    for (const row of rows.slice(1)) add(LABELS[row[tag]?.toLowerCase() ?? ''], row[body]);
  } else if (header[0] === 'text' && header[1] === 'label') {
    for (const row of rows.slice(1)) add(row[1] === '1' ? 1 : row[1] === '0' ? -1 : undefined, row[0]);
  } else if (LABELS[header[0] ?? ''] !== undefined) {
    for (const row of rows) add(LABELS[row[0]!.toLowerCase()], row.slice(1).join(','));
  } else {
    throw new Error(`${source}: unknown data format (see scripts/scorer-data.ts for the ones read)`);
  }
  return out;
}

/**
 * Examples with duplicates removed across all sources (same normalized text: the first copy stays;
 * a text labelled both ways is dropped everywhere), in input order.
 */
export function dedupeExamples(examples: readonly Example[]): { kept: Example[]; conflicting: number } {
  const labels = new Map<string, number>();
  for (const e of examples) {
    const key = normalizeText(e.text);
    const seen = labels.get(key);
    labels.set(key, seen === undefined || seen === e.label ? e.label : 0);
  }
  const kept: Example[] = [];
  let conflicting = 0;
  for (const e of examples) {
    const key = normalizeText(e.text);
    const label = labels.get(key);
    if (label === 0) conflicting++;
    if (label === e.label) {
      kept.push(e);
      labels.delete(key);
    }
  }
  return { kept, conflicting };
}
