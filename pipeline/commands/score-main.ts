/**
 * Stand-alone entry for `sentiflow score` (tests run it as a child process:
 * `node --import tsx pipeline/commands/score-main.ts`). The real CLI mounts createScoreCommand() in cli.ts.
 */
import { CommanderError } from 'commander';
import { ConfigError, describeError } from '../../lib/errors.js';
import { createScoreCommand } from './score.js';

const command = createScoreCommand().exitOverride();
command.parseAsync(process.argv).then(
  () => {
    process.exitCode ??= 0;
  },
  (error: unknown) => {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`sentiflow score: ${describeError(error)}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  },
);
