/**
 * Cross-validated figures of the scorers per data source: sign accuracy (a score of 0 counts as wrong)
 * and ROC AUC, for lexicon, model and combined, each scored by the operator itself (scoreTextValue).
 * Folds come from each text's digest, so duplicates and reruns land in the same fold.
 */
import { SCORER_MODES, type ScorerMode, scoreTextValue } from '../operators/score-tweets.js';
import { type Example, textDigest } from './scorer-data.js';
import { type Prepared, scorersFor, type TrainSettings, trainModel } from './scorer-training.js';

export interface Figures {
  readonly n: number;
  readonly signAccuracy: number;
  readonly auc: number;
}

/** Share of examples whose score has the label's sign (0 is wrong). */
export function signAccuracy(scores: readonly number[], labels: readonly number[]): number {
  let right = 0;
  for (let i = 0; i < scores.length; i++) if (Math.sign(scores[i]!) === labels[i]) right++;
  return scores.length === 0 ? 0 : right / scores.length;
}

/** ROC AUC by ranks (Mann-Whitney U), ties counting half. */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const rank = (i + j + 1) / 2; // mean 1-based rank of the tie group
    for (let k = i; k < j; k++) {
      if (order[k]![1] > 0) {
        positives++;
        rankSum += rank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function foldOf(text: string, folds: number): number {
  return Number.parseInt(textDigest(text).slice(0, 8), 16) % folds;
}

export type CvReport = Record<string, Record<ScorerMode, Figures>>;

/** k-fold cross-validation: per source (and `all`), the figures of each scorer on held-out folds. */
export function crossValidate(
  examples: readonly Example[],
  prepared: readonly Prepared[],
  settings: TrainSettings,
  folds: number,
): CvReport {
  const fold = examples.map((e) => foldOf(e.text, folds));
  const scores: Record<ScorerMode, number[]> = { lexicon: [], model: [], combined: [] };
  for (const s of SCORER_MODES) scores[s] = new Array<number>(examples.length).fill(0);
  for (let k = 0; k < folds; k++) {
    const model = trainModel(
      prepared.filter((_, i) => fold[i] !== k),
      settings,
    );
    const scorers = scorersFor(model);
    examples.forEach((e, i) => {
      if (fold[i] !== k) return;
      for (const s of SCORER_MODES) scores[s][i] = scoreTextValue(e.text, scorers[s]);
    });
  }
  const sources = ['all', ...new Set(examples.map((e) => e.source))];
  const report: CvReport = {};
  for (const source of sources) {
    const at = examples.flatMap((e, i) => (source === 'all' || e.source === source ? [i] : []));
    const labels = at.map((i) => examples[i]!.label);
    const row = {} as Record<ScorerMode, Figures>;
    for (const s of SCORER_MODES) {
      const picked = at.map((i) => scores[s][i]!);
      row[s] = { n: at.length, signAccuracy: signAccuracy(picked, labels), auc: rocAuc(picked, labels) };
    }
    report[source] = row;
  }
  return report;
}

/** The report as a Markdown table (docs/scorer.md takes it as it is). */
export function reportTable(report: CvReport): string {
  const lines = [
    '| source | texts | lexicon acc | lexicon AUC | model acc | model AUC | combined acc | combined AUC |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [source, row] of Object.entries(report)) {
    const cells = SCORER_MODES.flatMap((s) => [row[s].signAccuracy.toFixed(3), row[s].auc.toFixed(3)]);
    lines.push(`| ${source} | ${row.lexicon.n} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
