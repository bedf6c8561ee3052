/** `sentiflow export --topic tweets.raw --from <time> --to <time> > file.ndjson`: the file source's inverse. */
import { Command } from 'commander';
import { createKafka } from '../../sinks/kafka/client.js';
import { type CommandContext, commandContext } from '../context.js';
import { exportTopic, parseTime } from '../ingest/export.js';

export interface ExportCommandDeps {
  readonly context?: (command: Command) => CommandContext;
  readonly out?: NodeJS.WritableStream;
}

export function createExportCommand(deps: ExportCommandDeps = {}): Command {
  return new Command('export')
    .description(
      'write the messages of a topic in a time range as NDJSON to stdout (re-import with --source file:)',
    )
    .option('--topic <topic>', 'topic to export (default: TOPIC_TWEETS_RAW)')
    .option('--from <time>', 'first Kafka timestamp included: ISO 8601 or epoch ms (default: the beginning)')
    .option(
      '--to <time>',
      'first Kafka timestamp excluded: ISO 8601 or epoch ms (default: everything written so far)',
    )
    .action(async (flags: { topic?: string; from?: string; to?: string }, command: Command) => {
      const { config, logger } = (deps.context ?? commandContext)(command);
      const topic = flags.topic ?? config.topics.tweetsRaw;
      const fromMs = flags.from === undefined ? undefined : parseTime(flags.from, '--from');
      const toMs = flags.to === undefined ? undefined : parseTime(flags.to, '--to');
      const out = deps.out ?? process.stdout;
      const kafka = createKafka({ ...config.kafka, logger });
      const count = await exportTopic(kafka, {
        topic,
        brokers: config.kafka.brokers,
        out,
        ...(fromMs === undefined ? {} : { fromMs }),
        ...(toMs === undefined ? {} : { toMs }),
      });
      logger.info({ topic, count }, 'export finished');
    });
}
