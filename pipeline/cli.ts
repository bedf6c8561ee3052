/**
 * The `sentiflow` command. Every failure a user can cause ends as one line on stderr
 * (`sentiflow: <what and where>`) with exit code 2 for bad usage or configuration and 1 otherwise.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, describeError } from '../lib/errors.js';
import { createBacktestCommand } from './commands/backtest.js';
import { createConfigCommand } from './commands/config.js';
import { createDoctorCommand } from './commands/doctor.js';
import { createExportCommand } from './commands/export.js';
import { createIngestCommand } from './commands/ingest.js';
import { createMigrateCommand } from './commands/migrate.js';
import { createPricesCommand } from './commands/prices.js';
import { createProcessCommand } from './commands/process.js';
import { createPruneCommand } from './commands/prune.js';
import { createQueryCommand } from './commands/query.js';
import { createResearchCommand } from './commands/research.js';
import { createRulesCommand } from './commands/rules.js';
import { createScoreCommand } from './commands/score.js';
import { createTopicsCommand } from './commands/topics.js';
import { createTradeCommand } from './commands/trade.js';
import { LOG_LEVELS } from './config.js';

export function createProgram(): Command {
  const program = new Command('sentiflow')
    .description('crypto tweet sentiment: Kafka -> RxJS operators -> ClickHouse -> signals -> exchange')
    .version('0.1.0')
    .option('--config <file>', 'JSON config file (env vars override it; default SENTIFLOW_CONFIG)')
    .addOption(new Option('--log-level <level>', 'log level (default LOG_LEVEL or info)').choices(LOG_LEVELS))
    .showSuggestionAfterError(true);
  for (const command of [
    createDoctorCommand(),
    createTopicsCommand(),
    createMigrateCommand(),
    createIngestCommand(),
    createRulesCommand(),
    createExportCommand(),
    createProcessCommand(),
    createQueryCommand(),
    createPruneCommand(),
    createScoreCommand(),
    createTradeCommand(),
    createBacktestCommand(),
    createResearchCommand(),
    createPricesCommand(),
    createConfigCommand(),
  ]) {
    program.addCommand(command);
  }
  // One line on errors, everywhere in the tree; help stays untouched.
  const configure = (command: Command): void => {
    command.exitOverride();
    command.configureOutput({
      outputError: (text, write) =>
        write(`sentiflow: ${text.replace(/^error: /, '').replace(/\n(?=.)/g, ' ')}`),
    });
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`sentiflow: ${describeError(error)}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
}
