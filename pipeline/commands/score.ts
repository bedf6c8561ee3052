/**
 * `sentiflow score`: score text lines from stdin, one JSON result line per input line, in input order.
 *
 * Input lines are plain text, or JSON objects with a string `text` field (any other fields are echoed
 * back, e.g. an id). Output per line: `{...echoed, "score": n, "scorer": mode, "lexicon": n, "tokens":
 * [{"token", "value"}]}` where `lexicon` is the lexicon's own score and `tokens` the words it counted;
 * with the learned model (modes model and combined) also `"modelVersion"`, `"parts": {"lexicon", "model"}`
 * (score = parts.lexicon + parts.model, docs/scorer.md) and `"model": {"score", "bias", "features":
 * [{"feature", "value"}]}` (the model's own score = 2σ(bias + Σ values) − 1, feature by feature).
 * `{"line": n, "error": "..."}` for a line that could not be read; processing continues after it.
 * Streams with back-pressure: it reads a chunk, writes its results, and waits for the output to drain,
 * so memory stays flat whatever the input size. Nothing but results goes to the output.
 */
import type { Readable, Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { InputError } from '../../lib/errors.js';
import {
  createScoringModel,
  SCORER_MODES,
  type ScorerMode,
  type ScoringModel,
  scoreText,
  type TextScore,
} from '../../operators/score-tweets.js';
import { commandContext } from '../context.js';
import { scoringOptionsFrom } from '../scorer-model.js';

export interface ScoreStreamOptions {
  readonly input: Readable | AsyncIterable<string | Uint8Array>;
  readonly output: Writable;
  readonly model?: ScoringModel;
  /** Field holding the text in JSON lines (default "text"). */
  readonly textField?: string;
  /** Longer lines are skipped with an error line instead of being buffered (default 1 MiB of text). */
  readonly maxLineLength?: number;
}

export interface ScoreSummary {
  readonly lines: number;
  readonly errors: number;
}

const round = (n: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export interface LineResult {
  /** The JSON result line, without the newline. */
  readonly json: string;
  readonly ok: boolean;
}

const failure = (line: number, error: string): LineResult => ({
  json: JSON.stringify({ line, error }),
  ok: false,
});

/** The result for one input line (1-based `lineNumber`, used in error lines). */
export function scoreLine(
  line: string,
  lineNumber: number,
  model: ScoringModel,
  textField = 'text',
): LineResult {
  const trimmed = line.trimStart();
  let text = line;
  let echoed: Record<string, unknown> = {};
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return failure(lineNumber, `invalid JSON: ${reason}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return failure(lineNumber, 'expected a JSON object');
    }
    const { [textField]: value, ...rest } = parsed as Record<string, unknown>;
    if (typeof value !== 'string') {
      return failure(lineNumber, `missing string field "${textField}"`);
    }
    text = value;
    echoed = rest;
  }
  const json = JSON.stringify({ ...echoed, ...scoreFields(scoreText(text, model)) });
  return { json, ok: true };
}

/** The output fields of one score: the total, then what the lexicon and the learned model each gave. */
function scoreFields(result: TextScore): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    score: round(result.score, 4),
    scorer: result.learned?.mode ?? 'lexicon',
    lexicon: round(result.lexicon, 4),
    tokens: result.tokens.map((t) => ({ token: t.token, value: round(t.value, 3) })),
  };
  const learned = result.learned;
  if (learned === null) return fields;
  return {
    ...fields,
    modelVersion: learned.version,
    parts: { lexicon: round(learned.lexicon, 4), model: round(learned.model, 4) },
    model: {
      score: round(learned.modelScore, 4),
      bias: round(learned.bias, 3),
      features: learned.features.map((f) => ({ feature: f.feature, value: round(f.value, 3) })),
    },
  };
}

/** Scores every line of `input` onto `output`; resolves when the input ends and the output took it all. */
export async function scoreStream(options: ScoreStreamOptions): Promise<ScoreSummary> {
  const { output } = options;
  const model = options.model ?? createScoringModel();
  const textField = options.textField ?? 'text';
  const maxLineLength = options.maxLineLength ?? 1 << 20;
  const decoder = new TextDecoder();
  let pending = '';
  let skipping = false;
  let lines = 0;
  let errors = 0;
  let outputError: Error | null = null;
  const onError = (error: Error): void => {
    outputError = error;
  };
  output.on('error', onError);

  const handle = (line: string, out: string[]): void => {
    lines++;
    const result =
      line.length > maxLineLength
        ? failure(lines, `line longer than ${maxLineLength} characters`)
        : scoreLine(line.endsWith('\r') ? line.slice(0, -1) : line, lines, model, textField);
    if (!result.ok) errors++;
    out.push(result.json);
  };
  const tooLong = (out: string[]): void => {
    lines++;
    errors++;
    out.push(failure(lines, `line longer than ${maxLineLength} characters`).json);
  };
  const write = async (out: string[]): Promise<void> => {
    if (outputError !== null) throw outputError;
    if (out.length > 0 && !output.write(`${out.join('\n')}\n`)) await drained(output);
  };

  try {
    for await (const chunk of options.input) {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      const out: string[] = [];
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (skipping) tooLong(out);
        else handle(pending + text.slice(start, nl), out);
        skipping = false;
        pending = '';
        start = nl + 1;
      }
      // The unfinished last line waits for the next chunk, unless it is already too long to keep.
      if (!skipping) pending += text.slice(start);
      if (pending.length > maxLineLength) {
        skipping = true;
        pending = '';
      }
      await write(out);
    }
    const out: string[] = [];
    if (!skipping) pending += decoder.decode();
    if (skipping) tooLong(out);
    else if (pending.length > 0) handle(pending, out);
    await write(out);
    await flushed(output);
  } finally {
    output.off('error', onError);
  }
  if (outputError !== null) throw outputError;
  return { lines, errors };
}

/** Resolves once the output has processed every earlier write (writes complete in order). */
function flushed(output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    output.write('', (error) => (error ? reject(error) : resolve()));
  });
}

function drained(output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error): void => {
      output.off('drain', onDrain);
      output.off('error', done);
      output.off('close', onDrain);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => done();
    output.once('drain', onDrain);
    output.once('close', onDrain);
    output.once('error', done);
  });
}

export interface ScoreCommandOptions {
  readonly stdin?: Readable;
  readonly stdout?: Writable;
  readonly stderr?: Writable;
}

export function createScoreCommand(io: ScoreCommandOptions = {}): Command {
  return new Command('score')
    .description(
      'score text lines from stdin (plain text, or JSON objects with a text field; other fields are echoed) ' +
        'and write one JSON line per input line: {"score": -1..1, "lexicon": its part, "tokens": [the words it ' +
        'counted], and with the learned model "parts" and "features"}',
    )
    .option('--text-field <name>', 'field holding the text in JSON lines', 'text')
    .option('--no-crypto', 'general lexicon only: no crypto slang, emoji or price-move rules')
    .addOption(
      new Option(
        '--scorer <mode>',
        'lexicon, the learned model, or both (default: config scorer.mode)',
      ).choices(SCORER_MODES),
    )
    .option('--model <file>', "learned model file (default: config scorer.modelFile, else sentiflow's own)")
    .action(
      async (opts: { textField: string; crypto: boolean; scorer?: ScorerMode; model?: string }, command) => {
        const stdin = io.stdin ?? process.stdin;
        const stdout = io.stdout ?? process.stdout;
        const stderr = io.stderr ?? process.stderr;
        const { scorer } = commandContext(command).config;
        const model = createScoringModel(
          scoringOptionsFrom({
            ...scorer,
            ...(opts.crypto ? {} : { crypto: false }),
            ...(opts.scorer ? { mode: opts.scorer } : {}),
            ...(opts.model ? { modelFile: opts.model } : {}),
          }),
        );
        let summary: ScoreSummary;
        try {
          summary = await scoreStream({ input: stdin, output: stdout, model, textField: opts.textField });
        } catch (error) {
          // The reader went away (e.g. `| head`): not an error of ours, stop quietly.
          if ((error as NodeJS.ErrnoException | null)?.code === 'EPIPE') return;
          throw new InputError('stdin', 'could not score the input', error);
        }
        if (summary.errors > 0) {
          stderr.write(
            `score: ${summary.errors} of ${summary.lines} lines could not be read (see "error" lines)\n`,
          );
        }
      },
    );
}
