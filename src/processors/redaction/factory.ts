/**
 * Builds the Collector-compatible redaction from its options: validated by the generated
 * config validator, user regexes compiled once (RE2 syntax, linear time), the key and value
 * steps compiled into rules.
 */
import { createRequire } from 'node:module';
import type { ConfigProblem } from '../../errors.js';
import { DEFAULT_SANITIZE_LOG_BODY, checkRedactionConfig, type CollectorRedactionConfig } from './config.js';
import { dbSanitizer } from './db-sanitizer.js';
import { collectorRedactor, type CollectorRedactor } from './redaction.js';
import { keyRules, valueRules, type Pattern } from './steps.js';
import { urlSanitizer } from './url-sanitizer.js';

/**
 * RE2JS (260 KB) is loaded when a redaction is first compiled, not with the registry that every
 * CLI start loads: its CommonJS build, so that the load stays synchronous (the registry's
 * factories are). It holds no state auditkit shares with an ESM copy.
 */
let re2: { RE2JS: typeof import('re2js').RE2JS; maskAll: Pattern } | undefined;
function loadRe2(): NonNullable<typeof re2> {
  if (!re2) {
    const { RE2JS } = createRequire(import.meta.url)('re2js') as typeof import('re2js');
    re2 = { RE2JS, maskAll: RE2JS.compile('.*') };
  }
  return re2;
}

/** Compiles the options; throws one ConfigError listing every problem, in option order. */
export function compileCollectorRedaction(config: CollectorRedactionConfig, path = 'redaction'): CollectorRedactor {
  const { RE2JS, maskAll } = loadRe2();
  const problems: ConfigProblem[] = [];
  const compileList = (key: 'ignored_key_patterns' | 'blocked_key_patterns' | 'blocked_values' | 'allowed_values'): Pattern[] => {
    const list = config[key];
    if (!Array.isArray(list)) return []; // the validator reports a non-list
    const out: Pattern[] = [];
    list.forEach((p, i) => {
      try {
        out.push(RE2JS.compile(p));
      } catch (err) {
        problems.push({ path: `${path}.${key}[${i}]`, message: `invalid regular expression (RE2 syntax): ${(err as Error).message}` });
      }
    });
    return out;
  };
  const ignoredPatterns = compileList('ignored_key_patterns');
  const blockedKeyPatterns = compileList('blocked_key_patterns');
  const blockedValues = compileList('blocked_values');
  const allowedValues = compileList('allowed_values');
  checkRedactionConfig(config, path, problems);

  const url = config.url_sanitizer?.enabled === true ? config.url_sanitizer : undefined;
  return collectorRedactor(
    config,
    keyRules(config, ignoredPatterns, blockedKeyPatterns),
    valueRules(config, blockedValues, allowedValues, maskAll),
    {
      ...(url
        ? {
            url: {
              sanitizer: urlSanitizer(),
              attributes: new Set(url.attributes ?? []),
              body: url.sanitize_log_body ?? DEFAULT_SANITIZE_LOG_BODY,
            },
          }
        : {}),
      ...(config.db_sanitizer ? { db: dbSanitizer(config.db_sanitizer) } : {}),
    },
  );
}
