/** globalSetup of the reliability suite: starts with an empty summary and prints the table at the end. */
import { clearSummary, formatSummary, readSummary, summaryFile } from './summary.js';

export default function setup(): () => void {
  process.env.SENTIFLOW_RELIABILITY_RUN = `${process.pid}`;
  clearSummary();
  return () => {
    const rows = readSummary();
    process.stdout.write(`\nreliability summary (${summaryFile()})\n${formatSummary(rows)}\n`);
  };
}
