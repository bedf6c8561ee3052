import { Command } from 'commander';
import { createClickHouse } from '../../sinks/clickhouse/client.js';
import { migrate } from '../../sinks/clickhouse/migrations.js';
import { applyRetention } from '../../sinks/clickhouse/retention.js';
import { commandContext } from '../context.js';

export function createMigrateCommand(): Command {
  return new Command('migrate')
    .description('create the ClickHouse database and apply pending schema migrations (idempotent)')
    .action(async (_opts: unknown, command: Command) => {
      const { config, logger } = commandContext(command);
      const { clickhouse } = config;
      const admin = createClickHouse({ ...clickhouse, database: 'default' });
      const client = createClickHouse(clickhouse);
      try {
        const report = await migrate(admin, client, {
          url: clickhouse.url,
          database: clickhouse.database,
          logger,
        });
        const retention = await applyRetention(client, {
          url: clickhouse.url,
          days: clickhouse.tweetsRetentionDays,
        });
        process.stdout.write(
          `${clickhouse.database}: ${report.applied.length} applied, ${report.alreadyApplied.length} already applied; ` +
            `retention ${retention}\n`,
        );
      } finally {
        await Promise.all([admin.close(), client.close()]);
      }
    });
}
