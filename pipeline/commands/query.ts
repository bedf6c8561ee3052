/**
 * `sentiflow query <name>`: the analytics questions over ClickHouse, printed as a table on a terminal
 * and as JSON lines when stdout is not a terminal (or as chosen with --format). Every value a user
 * types is validated before any SQL is built; bad input is one line and exit code 2. No rows is a
 * message and exit code 0. See docs/analytics.md for the same questions in plain SQL.
 */
import { Command, Option } from 'commander';
import { ConfigError, SentiflowError } from '../../lib/errors.js';
import type { TweetSource } from '../../operators/index.js';
import type { ClickHouseOptions } from '../../sinks/clickhouse/client.js';
import { createClickHouse } from '../../sinks/clickhouse/client.js';
import { commandContext } from '../context.js';
import { formatResult, OUTPUT_FORMATS, type OutputFormat, shortTime } from '../query/format.js';
import {
  KNOWN_SYMBOLS,
  MAX_LIMIT,
  parseLimit,
  parseRange,
  parseSource,
  parseSymbols,
} from '../query/params.js';
import { checkSource, checkSymbols, QUERIES, QUERY_NAMES, queryNamed } from '../query/queries.js';
import type { QueryResult, SelectRows } from '../query/result.js';
import { clickHouseSelect } from '../query/select.js';

export interface QueryCommandOptions {
  /** ClickHouse connection; defaults to the config's clickhouse slice. */
  readonly clickhouse?: ClickHouseOptions;
  readonly stdout?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr?: NodeJS.WritableStream;
  readonly now?: () => number;
  /** Symbols users may ask for (default: the operators' DEFAULT_SYMBOL_MAP keys). */
  readonly knownSymbols?: readonly string[];
}

export interface QueryFlags {
  readonly from?: string;
  readonly to?: string;
  readonly symbol?: string;
  readonly symbols?: string;
  readonly limit?: string;
  readonly format?: string;
  readonly source?: string;
}

export interface QueryPlan {
  readonly name: (typeof QUERY_NAMES)[number];
  readonly format: OutputFormat;
  readonly filter: { fromMs: number; toMs: number; symbols: string[]; limit: number; source?: TweetSource };
}

/** Validates the name and every flag; throws ConfigError before anything touches ClickHouse. */
export function planQuery(
  name: string,
  flags: QueryFlags,
  {
    now,
    isTTY,
    knownSymbols = KNOWN_SYMBOLS,
  }: { now: number; isTTY: boolean; knownSymbols?: readonly string[] },
): QueryPlan {
  const query = queryNamed(name);
  const format = flags.format ?? (isTTY ? 'table' : 'json');
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError(`--format: ${JSON.stringify(format)} is not one of ${OUTPUT_FORMATS.join(', ')}`);
  }
  const range = parseRange(flags, now);
  const symbols = parseSymbols(flags, knownSymbols);
  checkSymbols(query.name, symbols);
  const limit = flags.limit === undefined ? query.defaultLimit : parseLimit(flags.limit);
  checkSource(query.name, flags.source);
  const source = flags.source === undefined ? {} : { source: parseSource(flags.source) };
  return {
    name: query.name,
    format: format as OutputFormat,
    filter: { ...range, symbols, limit, ...source },
  };
}

/** Runs a planned query and prints it; a failed consistency check throws after printing. */
export async function printQuery(
  plan: QueryPlan,
  select: SelectRows,
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<QueryResult> {
  const raw = await QUERIES[plan.name].run(select, plan.filter);
  const range = `${shortTime(plan.filter.fromMs)} .. ${shortTime(plan.filter.toMs)} UTC`;
  const result = { ...raw, title: `${raw.title}, ${range}` };
  const side = plan.format === 'table' ? out.stdout : out.stderr;
  if (result.rows.length === 0) {
    side.write(`no rows: ${result.title}\n`);
    return result;
  }
  out.stdout.write(formatResult(result, plan.format));
  if (plan.format !== 'table') for (const note of result.notes) out.stderr.write(`${note}\n`);
  if (!result.ok) {
    throw new SentiflowError(`query ${plan.name}: ${result.notes.join('; ')}`, { retriable: false });
  }
  return result;
}

const help = QUERY_NAMES.map((n) => `  ${n.padEnd(11)} ${QUERIES[n].summary}`).join('\n');

export function createQueryCommand(options: QueryCommandOptions = {}): Command {
  return new Command('query')
    .description('answer an analytics question from ClickHouse (run `sentiflow migrate` first)')
    .argument('<name>', `one of: ${QUERY_NAMES.join(', ')}`)
    .option(
      '--from <time>',
      'start, inclusive: ISO 8601 (UTC unless zoned), epoch s/ms, or a duration before --to like 7d (default 24h)',
    )
    .option('--to <time>', 'end, exclusive: ISO 8601 or epoch s/ms (default now)')
    .option('--symbol <symbol>', `one symbol, e.g. BTC (known: ${KNOWN_SYMBOLS.join(', ')})`)
    .option('--symbols <list>', 'comma-separated symbols, e.g. BTC,ETH (default: all)')
    .option(
      '--source <source>',
      'only posts from x, bluesky or mastodon (hourly, rules, authors, drops, accounting; default: all)',
    )
    .option('--limit <n>', `at most this many rows (1..${MAX_LIMIT}; default depends on the query)`)
    .addOption(
      new Option(
        '--format <format>',
        'table | json (JSON lines) | csv (default: table on a terminal, json otherwise)',
      ),
    )
    .addHelpText(
      'after',
      `\nQueries:\n${help}\n\nTimes are UTC; ranges are [from, to) on the hour or event time.`,
    )
    .action(async (name: string, flags: QueryFlags, command: Command) => {
      const stdout = options.stdout ?? process.stdout;
      const stderr = options.stderr ?? process.stderr;
      const plan = planQuery(name, flags, {
        now: (options.now ?? Date.now)(),
        isTTY: stdout.isTTY === true,
        ...(options.knownSymbols ? { knownSymbols: options.knownSymbols } : {}),
      });
      const connection = options.clickhouse ?? commandContext(command).config.clickhouse;
      const client = createClickHouse(connection);
      try {
        const select = clickHouseSelect(client, { url: connection.url, doing: `query ${plan.name}` });
        await printQuery(plan, select, { stdout, stderr });
      } finally {
        await client.close();
      }
    });
}
