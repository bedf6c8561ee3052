/**
 * `sentiflow process` (`--stage all`): tweets.raw -> the whole chain -> ClickHouse (tweets, intake,
 * sentiment_hourly, signals) and Kafka (tweets.dlq, signals), crash-safe: the runner's commit protocol
 * makes a cut's rows durable, then checkpoints the state with its offsets, then commits them. The score
 * half runs in score threads unless there are none (scoreThreads.count 0).
 */
import type { ScoringOptions } from '../../../operators/index.js';
import type { ChainModule } from '../chain-module.js';
import { DEFAULT_CHAIN_MODULE, loadChainModule } from '../chain-module.js';
import { type ChainSettings, scoreSettingsOf, windowSettingsOf } from '../chain-settings.js';
import type { RunSummary } from '../runner.js';
import { createThreadedChain } from '../topology/threaded-chain.js';
import { createWholeChain } from '../topology/whole-chain.js';
import { type LiveDeps, type LiveOptions, runOnKafka } from './on-kafka.js';

export type { LiveDeps };

export interface ScoreThreadsOption {
  /** Threads that run the score half; the partitions are spread over them. 0: all on this thread. */
  readonly count: number;
  /** What `engine.scoring` was built from: each thread builds its own model from it. */
  readonly scoring: ScoringOptions;
  /** V8 young generation per thread, MB. */
  readonly youngGenerationMb?: number;
}

export interface ProcessOptions extends LiveOptions {
  readonly engine: ChainSettings;
  readonly scoreThreads?: ScoreThreadsOption;
  /** URL of the chain module (default: chain.ts). */
  readonly chainModule?: string;
}

export type ProcessSummary = RunSummary;

export async function runProcess(deps: LiveDeps, options: ProcessOptions): Promise<ProcessSummary> {
  const { engine, scoreThreads: threads } = options;
  const topic = options.config.topics.tweetsRaw;
  const chainModule = options.chainModule ?? DEFAULT_CHAIN_MODULE;
  const chain: ChainModule = await loadChainModule(chainModule);
  const collector = { topic, rows: true };
  return runOnKafka(
    deps,
    {
      ...options,
      topic,
      groupId: options.groupId ?? 'sentiflow-process',
      module: 'process',
      name: 'process',
    },
    (partitions) =>
      threads !== undefined && threads.count > 0
        ? createThreadedChain({
            windowChain: chain.windowChain,
            chainModule,
            threads: threads.count,
            score: {
              scoring: threads.scoring,
              ...pick(engine, ['filter', 'weight', 'normalize', 'dedupe']),
            },
            window: windowSettingsOf(engine, partitions),
            collector,
            ...(threads.youngGenerationMb === undefined
              ? {}
              : { youngGenerationMb: threads.youngGenerationMb }),
          })
        : createWholeChain({
            chain,
            score: scoreSettingsOf(engine),
            window: windowSettingsOf(engine, partitions),
            collector,
          }),
  );
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<
    Pick<T, K>
  >;
}
