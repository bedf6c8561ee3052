import { Command } from 'commander';
import { createKafka } from '../../sinks/kafka/client.js';
import { ensureTopics } from '../../sinks/kafka/topics.js';
import { commandContext } from '../context.js';
import { topicSpecs } from '../topics.js';

export function createTopicsCommand(): Command {
  const topics = new Command('topics').description('manage the Kafka topics sentiflow uses');
  topics
    .command('create')
    .description('create missing topics with the configured partitions and retention (idempotent)')
    .option('--partitions <n>', 'partitions for tweets.raw and tweets.dlq (default TOPIC_PARTITIONS)')
    .option('--retention-hours <n>', 'retention for all topics, -1 = forever (default TOPIC_RETENTION_HOURS)')
    .action(async (opts: { partitions?: string; retentionHours?: string }, command: Command) => {
      const { config, logger } = commandContext(command);
      const overrides = {
        ...config.topics,
        ...(opts.partitions === undefined
          ? {}
          : { partitions: parseWhole(opts.partitions, '--partitions', 1) }),
        ...(opts.retentionHours === undefined
          ? {}
          : { retentionHours: parseWhole(opts.retentionHours, '--retention-hours', -1) }),
      };
      const kafka = createKafka({ ...config.kafka, logger });
      const outcomes = await ensureTopics(kafka, topicSpecs(overrides), {
        brokers: config.kafka.brokers,
        deadlineMs: config.kafka.retryDeadlineMs,
      });
      for (const o of outcomes)
        process.stdout.write(`${o.name}\t${o.action}\t${o.partitions} partition(s)\n`);
    });
  return topics;
}

function parseWhole(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${flag} expects a whole number >= ${min}, got "${text}"`);
  }
  return n;
}
