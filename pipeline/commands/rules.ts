/**
 * `sentiflow rules list | add <value> --tag <tag> | remove <id|tag...> | sync [--apply]`: the filtered
 * stream's rules on X. X applies changes to the open stream connection, so a running ingest picks them
 * up without a restart. `sync` makes X's rules equal to the configured ones (a JSON file given with
 * --rules-file, else the configuration's x.rules, else the built-in crypto rules); it only shows the
 * difference unless --apply is given.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError } from '../../lib/errors.js';
import { type CommandContext, commandContext } from '../context.js';
import { parseRulesFile } from '../sources/rules-file.js';
import { createXClient } from '../sources/x-client.js';
import {
  addRules,
  applyRuleSync,
  DEFAULT_RULES,
  listRules,
  planRuleSync,
  type RuleSpec,
  removeRules,
  type StreamRule,
} from '../sources/x-rules.js';

export interface RulesCommandDeps {
  readonly context?: (command: Command) => CommandContext;
  readonly out?: { write(text: string): unknown };
  /** Extra CA for a test double of X (in-process tests); child processes use NODE_EXTRA_CA_CERTS. */
  readonly ca?: string;
}

const line = (rule: StreamRule): string => `${rule.id}\t${rule.tag ?? ''}\t${rule.value}\n`;

export function createRulesCommand(deps: RulesCommandDeps = {}): Command {
  const out = deps.out ?? process.stdout;
  const clientFor = (command: Command) => {
    const { config } = (deps.context ?? commandContext)(command);
    if (config.x.bearerToken === undefined)
      throw new ConfigError('managing stream rules needs X_BEARER_TOKEN');
    return {
      config,
      client: createXClient({
        bearerToken: config.x.bearerToken,
        apiUrl: config.x.apiUrl,
        ...(deps.ca === undefined ? {} : { ca: deps.ca }),
      }),
    };
  };

  const rules = new Command('rules').description(
    "manage the X filtered stream's rules (changes apply to a running stream)",
  );
  rules
    .command('list')
    .description('print the rules on X: id, tag, value (tab-separated)')
    .action(async (_flags: unknown, command: Command) => {
      const { client } = clientFor(command);
      for (const rule of await listRules(client)) out.write(line(rule));
    });
  rules
    .command('add <value>')
    .description('add a rule, e.g. rules add "($BTC OR bitcoin) -is:retweet" --tag BTC')
    .requiredOption('--tag <tag>', 'tag carried by matching tweets (matching_rules)')
    .option('--dry-run', 'ask X to validate the rule without adding it')
    .action(async (value: string, flags: { tag: string; dryRun?: boolean }, command: Command) => {
      const { client } = clientFor(command);
      const added = await addRules(client, [{ value, tag: flags.tag }], { dryRun: flags.dryRun === true });
      for (const rule of added) out.write(`${flags.dryRun ? 'valid' : 'added'}\t${line(rule)}`);
    });
  rules
    .command('remove <idOrTag...>')
    .description('remove rules by id or by tag')
    .action(async (idsOrTags: string[], _flags: unknown, command: Command) => {
      const { client } = clientFor(command);
      const removed = await removeRules(client, idsOrTags);
      if (removed.length === 0) throw new ConfigError(`no rule has the id or tag ${idsOrTags.join(', ')}`);
      for (const rule of removed) out.write(`removed\t${line(rule)}`);
    });
  rules
    .command('sync')
    .description('make the rules on X equal to the configured rules (dry run unless --apply)')
    .option('--rules-file <path>', 'JSON array of {"value", "tag"} (default: config x.rules, else built-in)')
    .option('--apply', 'change the rules on X (default: only show the difference)')
    .action(async (flags: { rulesFile?: string; apply?: boolean }, command: Command) => {
      const { client, config } = clientFor(command);
      const desired =
        flags.rulesFile !== undefined
          ? parseRulesFile(readFileSync(flags.rulesFile, 'utf8'), flags.rulesFile)
          : ((config.x as { rules?: readonly RuleSpec[] }).rules ?? DEFAULT_RULES);
      const plan = planRuleSync(await listRules(client), desired);
      for (const rule of plan.remove) out.write(`-\t${line(rule)}`);
      for (const rule of plan.add) out.write(`+\t\t${rule.tag}\t${rule.value}\n`);
      if (plan.add.length === 0 && plan.remove.length === 0) {
        out.write('rules on X already match\n');
        return;
      }
      if (flags.apply !== true) {
        out.write('dry run: pass --apply to change the rules on X\n');
        return;
      }
      await applyRuleSync(client, plan);
      out.write(`applied: ${plan.add.length} added, ${plan.remove.length} removed\n`);
    });
  return rules;
}
