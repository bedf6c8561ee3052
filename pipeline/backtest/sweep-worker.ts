/** Worker thread body of a sweep: evaluates its share of the grid and posts the results back. */
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../../lib/errors.js';
import { evaluateAll, type SweepTask } from './sweep.js';

const task = workerData as SweepTask;
evaluateAll(task).then(
  (results) => parentPort?.postMessage({ ok: true, results }),
  (error: unknown) => parentPort?.postMessage({ ok: false, error: describeError(error) }),
);
