/**
 * The documented CSV layout for the file source, turned into X v2 envelopes.
 *
 * A header row is required. Columns (any order; the first four are required):
 *   id, created_at, text, author_id, author_username, author_followers, author_created_at, lang
 * Fields follow RFC 4180: separated by commas, optionally quoted with ", a quote inside a quoted field
 * doubled (""), and quoted fields may span lines. Times are ISO 8601. Empty optional fields are absent.
 * Each row becomes {data, includes.users:[author], matching_rules: []}, the stream envelope shape.
 */
import type { RawEnvelope, RawUser } from '../../operators/types.js';

export const CSV_COLUMNS = [
  'id',
  'created_at',
  'text',
  'author_id',
  'author_username',
  'author_followers',
  'author_created_at',
  'lang',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const CSV_REQUIRED: readonly CsvColumn[] = ['id', 'created_at', 'text', 'author_id'];

/** Splits one CSV record; 'incomplete' when a quoted field continues on the next line. */
export function parseCsvRecord(record: string): string[] | 'incomplete' {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < record.length) {
    const c = record[i];
    if (quoted) {
      if (c === '"' && record[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
    i += 1;
  }
  if (quoted) return 'incomplete';
  fields.push(field);
  return fields;
}

export type CsvHeader = ReadonlyMap<CsvColumn, number>;

/** Validates the header row; returns the column positions or what is missing. */
export function readCsvHeader(fields: readonly string[]): CsvHeader | { readonly missing: CsvColumn[] } {
  const names = fields.map((f) => f.trim().toLowerCase());
  const header = new Map<CsvColumn, number>();
  for (const column of CSV_COLUMNS) {
    const at = names.indexOf(column);
    if (at >= 0) header.set(column, at);
  }
  const missing = CSV_REQUIRED.filter((c) => !header.has(c));
  return missing.length > 0 ? { missing } : header;
}

/** One row to an envelope, or the reason it is unusable. */
export function csvRowToEnvelope(
  header: CsvHeader,
  fields: readonly string[],
): { readonly envelope: RawEnvelope } | { readonly reason: string; readonly detail: string } {
  const width = Math.max(...header.values()) + 1;
  if (fields.length < width) {
    return { reason: 'csv_field_count', detail: `expected at least ${width} fields, got ${fields.length}` };
  }
  const get = (column: CsvColumn): string | undefined => {
    const at = header.get(column);
    const value = at === undefined ? undefined : fields[at];
    return value === '' ? undefined : value;
  };
  const time = (column: CsvColumn): string | undefined | null => {
    const value = get(column);
    if (value === undefined) return undefined;
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  };
  const id = get('id');
  const authorId = get('author_id');
  const createdAt = time('created_at');
  const authorCreatedAt = time('author_created_at');
  const followers = get('author_followers');
  if (id === undefined || !/^\d{1,19}$/.test(id))
    return { reason: 'missing_id', detail: 'id is not a tweet id' };
  if (authorId === undefined) return { reason: 'csv_missing_author', detail: 'author_id is empty' };
  if (createdAt === undefined || createdAt === null)
    return { reason: 'csv_bad_time', detail: 'created_at is not a time' };
  if (authorCreatedAt === null) return { reason: 'csv_bad_time', detail: 'author_created_at is not a time' };
  if (followers !== undefined && !/^\d+$/.test(followers)) {
    return { reason: 'csv_bad_number', detail: `author_followers is not a count: ${followers}` };
  }
  const username = get('author_username');
  const lang = get('lang');
  const user: RawUser = {
    id: authorId,
    ...(username === undefined ? {} : { username }),
    ...(authorCreatedAt === undefined ? {} : { created_at: authorCreatedAt }),
    ...(followers === undefined ? {} : { public_metrics: { followers_count: Number(followers) } }),
  };
  return {
    envelope: {
      data: {
        id,
        text: get('text') ?? '',
        created_at: createdAt,
        author_id: authorId,
        ...(lang === undefined ? {} : { lang }),
      },
      includes: { users: [user] },
      matching_rules: [],
    },
  };
}
