/**
 * operators.chain: the full chain normalize -> dedupe -> filter -> score -> window -> signal over
 * 1,000,000 synthetic X v2 envelopes (JSON strings, generated before timing), as the runtime composes
 * it (pipeline/runtime/chain.ts: scoreChain, then windowChain) over one partition, with the default
 * config's scorer (`scorer` and `scorerModel` in the result);
 * baseline: the same work as a plain loop (bench/plain-chain.ts), measured in the same run.
 * Value: tweets per CPU-second of the RxJS chain (best of three rounds); ratio rxjs/plain; extras: wall-clock
 * rates, peak RSS (input included), whether both implementations produced the same digest, and the
 * plain loop's CPU microseconds per envelope when stopped after each stage (parse, normalize, dedupe,
 * filter, score, all) — what each stage costs, and what bounds the whole on this machine.
 * `CHAIN_COUNT` overrides the count for quick runs.
 */
import { from } from 'rxjs';
import { createDecider, createDedupeState, createHourlyWindows, createStrategy } from '../operators/index.js';
import { engineOptionsFrom, loadConfig } from '../pipeline/config.js';
import { scoreChain, windowChain } from '../pipeline/runtime/chain.js';
import { scorerIdentity } from '../pipeline/scorer-model.js';
import { generateEnvelopes } from '../pipeline/sources/synthetic.js';
import { emit, note, ratioOf, rssMb, trackPeakRss } from './lib.js';
import {
  type ChainDigest,
  type ChainSetup,
  type ChainStage,
  digestItem,
  emptyDigest,
  runPlainChain,
} from './plain-chain.js';

const count = Number(process.env.CHAIN_COUNT ?? 1_000_000);
const rss = trackPeakRss();

function runRxChain(payloads: readonly string[], setup: ChainSetup): ChainDigest {
  const digest = emptyDigest();
  let seen = 0;
  const dedupe = createDedupeState(setup.dedupe);
  const windows = createHourlyWindows(setup.window);
  const decider = createDecider(setup.decisions);
  from(payloads)
    .pipe(
      scoreChain({ dedupe, model: setup.model, ...(setup.filter ? { filter: setup.filter } : {}) }),
      windowChain({ windows, decider }),
    )
    .subscribe({
      next: (item) => {
        if ((++seen & 0xffff) === 0) setup.tick?.();
        digestItem(digest, item);
      },
      error: (error: unknown) => {
        throw error;
      },
    });
  digest.inputs = payloads.length;
  return digest;
}

/**
 * Times a run by wall clock and by this process's CPU time (user + system, GC threads included).
 * The figure reported is per CPU second: on a shared machine wall time mostly measures the
 * neighbours; CPU time is what the chain costs on one core.
 */
function timed<T>(label: string, run: () => T): { result: T; seconds: number; cpuSeconds: number } {
  global.gc?.();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = (used.user + used.system) / 1e6;
  note(`${label}: ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU`);
  return { result, seconds, cpuSeconds };
}

note(`generating ${count} envelopes`);
const payloads: string[] = [];
let bytes = 0;
for (const envelope of generateEnvelopes({ seed: 42, count })) {
  const json = JSON.stringify(envelope);
  bytes += json.length;
  payloads.push(json);
}
const rssAfterInput = rssMb();
note(`input ${(bytes / 1e6).toFixed(0)} MB of JSON, RSS ${rssAfterInput} MB`);

// The scorer the default config builds (SCORER_MODE / SCORER_MODEL_FILE pick another), as `process` runs it.
const { SCORER_MODE, SCORER_MODEL_FILE } = process.env;
const engine = engineOptionsFrom(loadConfig({ env: { SCORER_MODE, SCORER_MODEL_FILE } }));
const setup: ChainSetup = {
  model: engine.scoring,
  decisions: { strategy: createStrategy('zscore') },
  tick: () => rss.sample(),
};

// Warm both paths up on a slice so neither pays the JIT for the other.
const warm = payloads.slice(0, Math.min(50_000, payloads.length));
runPlainChain(warm, setup);
runRxChain(warm, setup);

const runs = {
  plain: [] as number[],
  rxjs: [] as number[],
  plainWall: [] as number[],
  rxjsWall: [] as number[],
};
let plainDigest: ChainDigest | null = null;
let rxDigest: ChainDigest | null = null;
// Three rounds: the first is a warm-up in effect (in 8 of 8 recorded runs the plain loop's first round
// was 3-30 % slower than its second), so two left one steady-state round per implementation.
for (let round = 0; round < 3; round++) {
  const plain = timed(`plain round ${round + 1}`, () => runPlainChain(payloads, setup));
  const rx = timed(`rxjs round ${round + 1}`, () => runRxChain(payloads, setup));
  runs.plain.push(count / plain.cpuSeconds);
  runs.rxjs.push(count / rx.cpuSeconds);
  runs.plainWall.push(count / plain.seconds);
  runs.rxjsWall.push(count / rx.seconds);
  plainDigest = plain.result;
  rxDigest = rx.result;
}

// Where the time goes: CPU microseconds per envelope of the plain loop stopped after each stage,
// best of two, so a reader can see what bounds the chain on this machine (JSON.parse alone, for one).
const stages: ChainStage[] = ['parse', 'normalize', 'dedupe', 'filter', 'score', 'all'];
const stageUs: Record<string, number> = {};
for (const stage of stages) {
  const rounds = [0, 1].map(() => timed(`plain up to ${stage}`, () => runPlainChain(payloads, setup, stage)));
  stageUs[stage] = Math.round((Math.min(...rounds.map((r) => r.cpuSeconds)) / count) * 1e7) / 10;
}

const same = JSON.stringify(plainDigest) === JSON.stringify(rxDigest);
if (!same) {
  note(`digests differ:\nplain ${JSON.stringify(plainDigest)}\nrxjs  ${JSON.stringify(rxDigest)}`);
  process.exitCode = 1;
}
note(`digest ${JSON.stringify(rxDigest)}`);
const best = (xs: number[]) => Math.round(Math.max(...xs));
const rxRate = best(runs.rxjs);
const plainRate = best(runs.plain);
emit({
  bench: 'operators.chain',
  value: rxRate,
  unit: 'tweets/s',
  baseline: plainRate,
  ratio: ratioOf(rxRate, plainRate),
  ...scorerIdentity(engine.scoringOptions),
  peak_rss_mb: rss.stop(),
  rss_after_input_mb: rssAfterInput,
  input_mb: Math.round(bytes / 1e6),
  envelopes: count,
  buckets: rxDigest?.buckets ?? 0,
  decisions: Object.values(rxDigest?.decisions ?? {}).reduce((a, b) => a + b, 0),
  stored: rxDigest?.bucketTweets ?? 0,
  same_result: same,
  clock: 'cpu',
  wall_tweets_per_s: best(runs.rxjsWall),
  wall_baseline: best(runs.plainWall),
  rounds: { rxjs: runs.rxjs.map(Math.round), plain: runs.plain.map(Math.round) },
  cumulative_us_per_envelope: stageUs,
});
