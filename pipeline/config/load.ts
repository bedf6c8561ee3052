import { readFileSync } from 'node:fs';
import { ConfigError } from '../../lib/errors.js';
import { ENV_KEYS, SECRET_PATHS } from './env-keys.js';
import { type Config, ConfigSchema } from './schema.js';

export interface LoadConfigOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON config file; defaults to SENTIFLOW_CONFIG from the environment. */
  readonly file?: string;
}

type Tree = Record<string, Record<string, unknown>>;

function readConfigFile(path: string): Tree {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `config file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code})`,
      error,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path}: not valid JSON (${(error as Error).message})`, error);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path}: expected a JSON object with sections such as "kafka"`);
  }
  return parsed as Tree;
}

/** Reads the environment (and the config file) once, validates it, and returns the typed config. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.SENTIFLOW_CONFIG;
  const tree: Tree = file ? structuredClone(readConfigFile(file)) : {};
  const sourceOf = new Map<string, string>();
  for (const key of ENV_KEYS) {
    const value = env[key.name];
    if (value === undefined || value === '') continue;
    const [section, field] = key.path;
    const target = tree[section] ?? {};
    if (typeof target !== 'object' || target === null) continue;
    target[field] = value;
    tree[section] = target;
    sourceOf.set(key.path.join('.'), key.name);
  }
  const result = ConfigSchema.safeParse(tree);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => (path ? `${path}.${k}` : k)) : [];
    const field = issue.path.slice(0, 2).map(String).join('.');
    const envName = sourceOf.get(field);
    const shown =
      envName && !SECRET_PATHS.includes(field) ? `${envName}=${JSON.stringify(env[envName])}` : envName;
    const where = keys.length > 0 ? keys.join(', ') : (shown ?? (file ? `${path} in ${file}` : path));
    const message = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
    return `${where}: ${message}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/** The secret values present in a config (for the logger's scrubbing), empty ones left out. */
export function secretValues(config: Config): string[] {
  const tree = config as unknown as Tree;
  return SECRET_PATHS.map((path) => {
    const [section, field] = path.split('.') as [string, string];
    return tree[section]?.[field];
  }).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** A copy safe to print: every secret replaced by '***' (absent secrets stay absent). */
export function maskSecrets(config: Config): Config {
  const copy = structuredClone(config) as unknown as Tree;
  for (const path of SECRET_PATHS) {
    const [section, field] = path.split('.') as [string, string];
    const target = copy[section];
    if (target && target[field] !== undefined && target[field] !== '') target[field] = '***';
  }
  return copy as unknown as Config;
}
