/**
 * Starts a worker thread on a module given by URL (without extension, next to the caller). Built code
 * runs `<module>.js` directly. Under tsx or vitest the modules are TypeScript and a worker does not
 * inherit their loaders: a tiny bootstrap registers tsx's loader in the worker first, then imports
 * `<module>.ts`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startModuleWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  // The `import` build of tsx/esm/api sits next to the `require` build that createRequire finds.
  const cjs = createRequire(callerUrl).resolve('tsx/esm/api');
  const tsxApi = pathToFileURL(join(dirname(cjs), 'index.mjs')).href;
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `const api = await import(${JSON.stringify(tsxApi)}); api.register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}
