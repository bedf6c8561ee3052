/**
 * Where the chain comes from: chain.ts, or a module of the user's own (SENTIFLOW_CHAIN_MODULE) exporting
 * `scoreChain` and `windowChain`. Given by URL, because score threads must load the same chain as the
 * consuming thread, and functions cannot cross threads.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../lib/errors.js';
import type { ScoreChain, WindowChain } from './chain.js';

export interface ChainModule {
  readonly scoreChain: ScoreChain;
  readonly windowChain: WindowChain;
}

/** The built-in chain (chain.ts beside this module, .ts under tsx and vitest, .js when built). */
export const DEFAULT_CHAIN_MODULE = new URL(
  `./chain${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
).href;

/** The URL of a chain module named by a path (relative to the working directory) or a URL. */
export function chainModuleUrl(pathOrUrl: string): string {
  return /^[a-z]+:/i.test(pathOrUrl) && !/^[a-z]:[\\/]/i.test(pathOrUrl)
    ? pathOrUrl
    : pathToFileURL(resolve(pathOrUrl)).href;
}

export async function loadChainModule(url: string = DEFAULT_CHAIN_MODULE): Promise<ChainModule> {
  let module: Partial<ChainModule>;
  try {
    module = (await import(url)) as Partial<ChainModule>;
  } catch (error) {
    throw new ConfigError(`cannot load the chain module ${url}: ${(error as Error).message}`, error);
  }
  if (typeof module.scoreChain !== 'function' || typeof module.windowChain !== 'function') {
    throw new ConfigError(`the chain module ${url} must export the functions scoreChain and windowChain`);
  }
  return { scoreChain: module.scoreChain, windowChain: module.windowChain };
}
