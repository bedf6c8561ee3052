#!/usr/bin/env node
// The executable behind `sentiflow` (package.json "bin"): everything else lives in cli.ts.
import { describeError } from '../lib/errors.js';
import { main } from './cli.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sentiflow: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
