/**
 * `sentiflow ingest`: one source -> Kafka tweets.raw (+ tweets.dlq, + the compacted ingest.state topic).
 * SIGINT/SIGTERM stop reading, flush what is buffered and exit 0.
 */
import { Command, Option } from 'commander';
import { ConfigError } from '../../lib/errors.js';
import { createKafka } from '../../sinks/kafka/client.js';
import { createProducer } from '../../sinks/kafka/producer.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import type { Config } from '../config.js';
import { type CommandContext, commandContext } from '../context.js';
import { createPaceMetrics, INGEST_STATE_TOPIC, type IngestTopics, runIngest } from '../ingest/index.js';
import { loadState } from '../ingest/read-topic.js';
import { createSourceCounts } from '../ingest/source-counts.js';
import { instrumentProducer, startObservability } from '../observe/index.js';
import { FILE_FORMATS, type FileFormat } from '../sources/file.js';
import type { Pace } from '../sources/pacer.js';
import { buildSource, parseSourceSpec, type SourceContext } from '../sources/select-source.js';
import { DEFAULT_SYNTHETIC_RATE } from '../sources/synthetic-source.js';
import { searchStateKey } from '../sources/x-search.js';
import { topicSpecs } from '../topics.js';
import { liveContext } from './ingest-live.js';

interface IngestFlags {
  source?: string;
  query?: string;
  interval: string;
  rate: string;
  count?: string;
  seed?: string;
  format?: FileFormat;
  stateTopic: string;
  rulesFile?: string;
  progress: boolean;
}

function wholeNumber(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`${flag} expects a whole number >= ${min}, got "${text}"`);
  return n;
}

export interface IngestCommandDeps {
  /** Overrides the lazily loaded config and logger (tests). */
  readonly context?: (command: Command) => CommandContext;
  /** Where SIGINT/SIGTERM come from (tests pass their own emitter). */
  readonly signals?: Pick<NodeJS.Process, 'once' | 'off'>;
}

export function createIngestCommand(deps: IngestCommandDeps = {}): Command {
  return new Command('ingest')
    .description('read tweets from a source and write them to Kafka tweets.raw (bad payloads to tweets.dlq)')
    .option(
      '--source <spec>',
      'x-stream | x-search | bluesky | mastodon:<instance> | synthetic | file:<path> (default: x-stream with X_BEARER_TOKEN, else synthetic)',
    )
    .option('--query <query>', 'x-search: the recent-search query, e.g. "($BTC OR bitcoin) -is:retweet"')
    .option('--interval <seconds>', 'x-search: seconds between poll cycles', '60')
    .option(
      '--rate <n>',
      'synthetic: envelopes per second, 0 = as fast as Kafka takes them',
      String(DEFAULT_SYNTHETIC_RATE),
    )
    .option('--count <n>', 'synthetic: stop after n envelopes')
    .option('--seed <n>', 'synthetic: generator seed')
    .addOption(
      new Option('--format <format>', 'file: override the format from the extension').choices(FILE_FORMATS),
    )
    .option(
      '--state-topic <topic>',
      'compacted topic for source state (x-search since_id, Jetstream cursor, Mastodon status ids)',
      INGEST_STATE_TOPIC,
    )
    .option(
      '--rules-file <path>',
      'bluesky, mastodon: rules to match, a JSON array of {"value", "tag"} in X rule syntax (re-read while running)',
    )
    .option('--no-progress', 'file: no progress bar even on a terminal')
    .action(async (flags: IngestFlags, command: Command) => {
      const { config, logger } = (deps.context ?? commandContext)(command);
      const spec = parseSourceSpec(flags.source, config.x.bearerToken !== undefined);
      if ((spec.kind === 'x-stream' || spec.kind === 'x-search') && config.x.bearerToken === undefined) {
        throw new ConfigError(`--source ${spec.kind} needs X_BEARER_TOKEN`);
      }
      if (spec.kind === 'x-search' && (flags.query === undefined || flags.query.trim() === '')) {
        throw new ConfigError('--source x-search needs --query "<X search query>"');
      }
      const topics: IngestTopics = {
        raw: config.topics.tweetsRaw,
        dlq: config.topics.tweetsDlq,
        state: flags.stateTopic,
      };
      const kafka = createKafka({ ...config.kafka, logger });
      await ensureTopics(kafka, ingestTopicSpecs(config, topics.state), {
        brokers: config.kafka.brokers,
        deadlineMs: config.kafka.retryDeadlineMs,
        logger,
      });

      // The source is built before the metrics server starts; its pace reaches /metrics once it does.
      let reportPace: ((pace: Pace) => void) | undefined;
      const counts = createSourceCounts(spec.kind);
      const live =
        spec.kind === 'bluesky' || spec.kind === 'mastodon'
          ? await liveContext(spec, {
              kafka,
              config,
              stateTopic: topics.state,
              rulesFile: flags.rulesFile,
              logger,
              counts,
            })
          : null;
      const context: SourceContext = {
        logger,
        x: config.x,
        synthetic: {
          rate: wholeNumber(flags.rate, '--rate', 0),
          onPace: (pace) => reportPace?.(pace),
          options: {
            ...(flags.count === undefined ? {} : { count: wholeNumber(flags.count, '--count', 1) }),
            ...(flags.seed === undefined ? {} : { seed: wholeNumber(flags.seed, '--seed', 0) }),
          },
        },
        file: {
          ...(flags.format ? { format: flags.format } : {}),
          progress: flags.progress ? process.stderr : null,
        },
        ...(spec.kind === 'x-search'
          ? { search: await searchContext(kafka, config, topics.state, flags) }
          : {}),
        ...live?.context,
      };
      const source = buildSource(spec, context);

      const observe = await startObservability(config.metrics, {
        logger,
        kafka: { client: kafka, topic: topics.raw },
      });
      reportPace = createPaceMetrics(observe.metrics.registry);
      counts.attach(observe.metrics.registry);
      const producer = instrumentProducer(
        await createProducer(kafka, {
          brokers: config.kafka.brokers,
          logger,
          compression: 'gzip',
        }).catch(async (error: unknown) => {
          await observe.close();
          throw error;
        }),
        observe,
      );
      const controller = new AbortController();
      const signals = deps.signals ?? process;
      const stop = (): void => controller.abort();
      signals.once('SIGINT', stop);
      signals.once('SIGTERM', stop);
      logger.info({ source: spec.kind, topics }, 'ingest started');
      try {
        const stats = await runIngest({ source, producer, topics, logger, signal: controller.signal });
        const received = live === null ? {} : { received: counts.snapshot() };
        logger.info({ ...stats, ...received, stopped: controller.signal.aborted }, 'ingest finished');
      } finally {
        live?.rules.close();
        signals.off('SIGINT', stop);
        signals.off('SIGTERM', stop);
        await producer.close();
        await observe.close();
      }
    });
}

function ingestTopicSpecs(config: Config, stateTopic: string) {
  const [raw, dlq] = topicSpecs(config.topics);
  return [
    raw!,
    dlq!,
    {
      name: stateTopic,
      partitions: 1,
      replicationFactor: config.topics.replicationFactor,
      retentionHours: -1,
      compacted: true,
    },
  ];
}

async function searchContext(
  kafka: ReturnType<typeof createKafka>,
  config: Config,
  stateTopic: string,
  flags: IngestFlags,
): Promise<NonNullable<SourceContext['search']>> {
  if (flags.query === undefined || flags.query.trim() === '') {
    throw new ConfigError('--source x-search needs --query "<X search query>"');
  }
  const state = await loadState(kafka, { topic: stateTopic, brokers: config.kafka.brokers });
  const stored = state.get(searchStateKey(flags.query));
  let sinceId: string | null = null;
  if (stored !== undefined) {
    const parsed = JSON.parse(stored) as { sinceId?: unknown };
    if (typeof parsed.sinceId === 'string') sinceId = parsed.sinceId;
  }
  return { query: flags.query, intervalMs: wholeNumber(flags.interval, '--interval', 1) * 1000, sinceId };
}
