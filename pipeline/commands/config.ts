/**
 * `sentiflow config check [--config file]`: validates the config file merged with the environment (the
 * same loadConfig every command uses) and prints the effective configuration as JSON with secrets
 * masked. A bad file fails with one line naming the path of every bad key (exit 2).
 *
 * Also home of `withConfigDefaults`: commands whose flags can also come from the config file use it
 * so that a flag given on the command line overrides the file, and the file overrides commander's
 * built-in default.
 */
import { Command } from 'commander';
import { loadConfig, maskSecrets } from '../config.js';

export function createConfigCommand(): Command {
  const config = new Command('config').description('inspect and validate the configuration');
  config
    .command('check')
    .description(
      'validate a config file (merged with environment overrides) and print the effective config, secrets masked',
    )
    .option('--config <file>', 'JSON config file (default: the global --config, else SENTIFLOW_CONFIG)')
    .action((flags: { config?: string }, command: Command) => {
      let root = command;
      while (root.parent) root = root.parent;
      const file = flags.config ?? root.opts<{ config?: string }>().config;
      const effective = loadConfig(file ? { file } : {});
      process.stdout.write(`${JSON.stringify(maskSecrets(effective), null, 2)}\n`);
    });
  return config;
}

/**
 * Fills every option of `command` that was not given on the command line (its value came from
 * commander's default, or is absent) with the value from `fromConfig`, keyed by the option's
 * attribute name (`maxOrderNotional` for --max-order-notional).
 */
export function withConfigDefaults<T extends object>(
  command: Command,
  flags: T,
  fromConfig: Readonly<Record<string, string | boolean>>,
): T {
  const merged = { ...flags } as Record<string, unknown>;
  for (const [key, value] of Object.entries(fromConfig)) {
    const source = command.getOptionValueSource(key);
    if (source !== 'cli' && source !== 'env') merged[key] = value;
  }
  return merged as T;
}
