import { ConfigError, type ConfigProblem } from '../../errors.js';
import type { CollectorRedactionConfig } from '../../generated/types.js';
import { configProblems, validateRedactionConfig } from '../../model/validators.js';

/** The Collector redactionprocessor options (snake_case, as in its YAML): schemas/config.v1.schema.json `$defs/redaction`. */
export type { CollectorRedactionConfig } from '../../generated/types.js';

export const HASH_FUNCTIONS = ['md5', 'sha1', 'sha3', 'hmac-sha256', 'hmac-sha512'] as const;
export type HashFunction = (typeof HASH_FUNCTIONS)[number];
/** The Collector documents a key of at least 32 bytes for HMAC-SHA256 and 64 for HMAC-SHA512. */
export const HMAC_MIN_KEY_BYTES: Readonly<Record<'hmac-sha256' | 'hmac-sha512', number>> = { 'hmac-sha256': 32, 'hmac-sha512': 64 };

/** The hash function an option names, case-insensitively as the Collector reads it (undefined: none or unknown). */
export function hashFunctionOf(name: string | undefined): HashFunction | undefined {
  const lower = name?.toLowerCase();
  return HASH_FUNCTIONS.find((h) => h === lower);
}
/** Defaults, equal to the schema's (test/components/defaults.test.ts checks them). */
export const DEFAULT_ALLOW_ALL_KEYS = false;
export const DEFAULT_REDACT_ALL_TYPES = false;
/** `url_sanitizer.enabled` and each `db_sanitizer.<system>.enabled`. */
export const DEFAULT_SANITIZER_ENABLED = false;
/** `url_sanitizer.sanitize_log_body`: the Collector sanitizes body strings whenever URL sanitizing is on. */
export const DEFAULT_SANITIZE_LOG_BODY = true;
export const DEFAULT_ALLOW_FALLBACK_WITHOUT_SYSTEM = false;
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
  'url_sanitizer',
  'db_sanitizer',
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
  const hash = hashFunctionOf(config.hash_function);
  if (typeof config.hash_function === 'string' && hash === undefined)
    problems.push({ path: `${path}.hash_function`, message: `must be one of ${HASH_FUNCTIONS.join(', ')} (any case)` });
  if (hash === 'hmac-sha256' || hash === 'hmac-sha512') {
    const bytes = typeof config.hmac_key === 'string' ? Buffer.byteLength(config.hmac_key) : 0;
    if (bytes === 0) problems.push({ path: `${path}.hmac_key`, message: `required with hash_function ${hash}` });
    else if (bytes < HMAC_MIN_KEY_BYTES[hash])
      problems.push({
        path: `${path}.hmac_key`,
        message: `too short for ${hash}: at least ${HMAC_MIN_KEY_BYTES[hash]} bytes (the key is not shown)`,
      });
  }
  if (problems.length) throw new ConfigError(problems.sort(byOption(path)));
}
