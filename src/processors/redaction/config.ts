import { ConfigError, type ConfigProblem } from '../../errors.js';
import type { CollectorRedactionConfig } from '../../generated/types.js';
import { configProblems, validateRedactionConfig } from '../../model/validators.js';

/** The Collector redactionprocessor options (snake_case, as in its YAML): schemas/config.v1.schema.json `$defs/redaction`. */
export type { CollectorRedactionConfig } from '../../generated/types.js';

export const HASH_FUNCTIONS = ['md5', 'sha1', 'sha3', 'hmac-sha256', 'hmac-sha512'] as const;
/** Defaults, equal to the schema's (test/components/defaults.test.ts checks them). */
export const DEFAULT_ALLOW_ALL_KEYS = false;
export const DEFAULT_REDACT_ALL_TYPES = false;
/** What a masked match becomes without a hash function (the Collector's). */
export const REDACTION_MASK = '****';

/** The options in the order the schema documents them: problems are reported in this order. */
const OPTION_ORDER = [
  'allow_all_keys',
  'allowed_keys',
  'ignored_keys',
  'ignored_key_patterns',
  'blocked_key_patterns',
  'blocked_values',
  'allowed_values',
  'hash_function',
  'hmac_key',
  'redact_all_types',
  'summary',
];

/** Orders problems as the options are documented, unknown options first. */
export function byOption(path: string): (a: ConfigProblem, b: ConfigProblem) => number {
  const rank = (p: ConfigProblem): number => OPTION_ORDER.indexOf(p.path.slice(path.length + 1).split(/[.[]/, 1)[0]!);
  return (a, b) => rank(a) - rank(b);
}

/**
 * Checks the options with the generated validator and what it cannot say (an HMAC hash
 * function needs its key); `extra` adds the problems found while compiling (bad regexes).
 * Throws one ConfigError with every problem, in option order; never prints a value.
 */
export function checkRedactionConfig(config: CollectorRedactionConfig, path: string, extra: readonly ConfigProblem[] = []): void {
  const problems = validateRedactionConfig(config) ? [] : configProblems(validateRedactionConfig.errors, path);
  problems.push(...extra);
  if (config.hash_function?.startsWith('hmac-') && !config.hmac_key)
    problems.push({ path: `${path}.hmac_key`, message: `required with hash_function ${config.hash_function}` });
  if (problems.length) throw new ConfigError(problems.sort(byOption(path)));
}
