/**
 * `npm run train:scorer -- [options] name=file ...`: trains the learned scorer on labelled files (formats:
 * scripts/scorer-data.ts; where to get the public sets: docs/scorer.md), prints the cross-validated
 * figures per source as a Markdown table, and writes the model file and the digests of the training
 * texts. No network; the same files and options give the same bytes.
 *
 * Options: --out <file> (default pipeline/models/scorer.json), --hashes <file> (default
 * docs/scorer-training-sha256.txt.gz: SHA-256 of every training text after normalizeText, sorted, one
 * hex line each, gzipped), --folds <k> (5; 0 skips cross-validation), --bits, --epochs, --learning-rate,
 * --l2, --seed, --fill (defaults: DEFAULT_TRAIN_SETTINGS).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createScoringModel } from '../operators/score-tweets.js';
import { DEFAULT_SCORER_MODEL_FILE, encodeScorerModel } from '../pipeline/scorer-model.js';
import { dedupeExamples, type Example, readExamples, textDigest } from './scorer-data.js';
import { crossValidate, reportTable } from './scorer-evaluation.js';
import { DEFAULT_TRAIN_SETTINGS, prepare, type TrainSettings, trainModel } from './scorer-training.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: DEFAULT_SCORER_MODEL_FILE },
    hashes: { type: 'string', default: 'docs/scorer-training-sha256.txt.gz' },
    folds: { type: 'string', default: '5' },
    bits: { type: 'string' },
    epochs: { type: 'string' },
    'learning-rate': { type: 'string' },
    l2: { type: 'string' },
    seed: { type: 'string' },
    fill: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`train:scorer: ${message}\n`);
  process.exit(2);
}

const number = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) fail(`--${name} ${raw}: expected a number`);
  return n;
};

if (positionals.length === 0) fail('name the labelled data files: npm run train:scorer -- name=file ...');
const settings: TrainSettings = {
  bits: number('bits', values.bits, DEFAULT_TRAIN_SETTINGS.bits),
  epochs: number('epochs', values.epochs, DEFAULT_TRAIN_SETTINGS.epochs),
  learningRate: number('learning-rate', values['learning-rate'], DEFAULT_TRAIN_SETTINGS.learningRate),
  l2: number('l2', values.l2, DEFAULT_TRAIN_SETTINGS.l2),
  seed: number('seed', values.seed, DEFAULT_TRAIN_SETTINGS.seed),
  fill: number('fill', values.fill, DEFAULT_TRAIN_SETTINGS.fill),
};
const folds = number('folds', values.folds, 5);

const all: Example[] = [];
const files: { source: string; file: string; sha256: string; labelled: number }[] = [];
for (const arg of positionals) {
  const eq = arg.indexOf('=');
  const file = eq > 0 ? arg.slice(eq + 1) : arg;
  const source = eq > 0 ? arg.slice(0, eq) : basename(file).replace(/\.[^.]+$/, '');
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
  let examples: Example[];
  try {
    examples = readExamples(source, content);
  } catch (error) {
    fail(`${file}: ${(error as Error).message}`);
  }
  all.push(...examples);
  const sha256 = createHash('sha256').update(content).digest('hex');
  files.push({ source, file: basename(file), sha256, labelled: examples.length });
}
const { kept, conflicting } = dedupeExamples(all);
const counts: Record<string, { bullish: number; bearish: number }> = {};
for (const e of kept) {
  const c = counts[e.source] ?? { bullish: 0, bearish: 0 };
  counts[e.source] = c;
  if (e.label > 0) c.bullish++;
  else c.bearish++;
}
process.stderr.write(
  `train:scorer: ${all.length} labelled texts, ${kept.length} after removing duplicates ` +
    `(${conflicting} labelled both ways dropped): ${JSON.stringify(counts)}\n`,
);

const prepared = prepare(kept, settings.bits, createScoringModel());
let cv: ReturnType<typeof crossValidate> | null = null;
if (folds >= 2) {
  cv = crossValidate(kept, prepared, settings, folds);
  process.stdout.write(`${reportTable(cv)}\n`);
}
const model = trainModel(prepared, settings);
const training = { files, examples: counts, conflicting, settings, folds, crossValidation: cv };
writeFileSync(values.out, encodeScorerModel(model, training));
const digests = [...new Set(kept.map((e) => textDigest(e.text)))].sort();
writeFileSync(values.hashes, gzipSync(`${digests.join('\n')}\n`, { level: 9 }));
process.stderr.write(
  `train:scorer: wrote ${values.out} (version ${model.version}) and ${digests.length} digests to ${values.hashes}\n`,
);
