/**
 * What every command needs, built lazily so `--help` and pure commands work without a valid environment:
 * the validated config and the root logger. Commands call `commandContext(command)`.
 */
import type { Command } from 'commander';
import { type Config, loadConfig, secretValues } from './config.js';
import { createLogger, type Logger } from './logger.js';

export interface CommandContext {
  readonly config: Config;
  readonly logger: Logger;
}

let cached: CommandContext | undefined;

/** Reads the global `--config <file>` and `--log-level` options from the root command. */
export function commandContext(command: Command): CommandContext {
  if (cached) return cached;
  let root = command;
  while (root.parent) root = root.parent;
  const globals = root.opts<{ config?: string; logLevel?: string }>();
  const config = loadConfig(globals.config ? { file: globals.config } : {});
  const level = (globals.logLevel as Config['log']['level'] | undefined) ?? config.log.level;
  cached = { config, logger: createLogger({ level, secrets: secretValues(config) }) };
  return cached;
}
