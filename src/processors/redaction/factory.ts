/**
 * Builds the Collector-compatible redaction from its options: validated by the generated
 * config validator, user regexes compiled once (RE2 syntax, linear time), the key and value
 * steps compiled into rules.
 */
import { RE2JS } from 're2js';
import type { ConfigProblem } from '../../errors.js';
import { DEFAULT_SANITIZE_LOG_BODY, checkRedactionConfig, type CollectorRedactionConfig } from './config.js';
import { dbSanitizer } from './db-sanitizer.js';
import { collectorRedactor, type CollectorRedactor } from './redaction.js';
import { keyRules, valueRules, type Pattern } from './steps.js';
import { urlSanitizer } from './url-sanitizer.js';

const MASK_ALL = RE2JS.compile('.*');

/** Compiles the options; throws one ConfigError listing every problem, in option order. */
export function compileCollectorRedaction(config: CollectorRedactionConfig, path = 'redaction'): CollectorRedactor {
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
    valueRules(config, blockedValues, allowedValues, MASK_ALL),
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
