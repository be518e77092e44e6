/**
 * The OpenTelemetry Collector `redactionprocessor`, with the same option names and meaning, on
 * log attributes and on string, map and array bodies, so an SRE can paste a Collector config.
 *
 * Per attribute, in the Collector's order: ignored keys (and ignored_key_patterns) pass
 * untouched; keys not allowed (unless allow_all_keys) are deleted; a value matching
 * allowed_values is kept; a key matching blocked_key_patterns has its whole value masked;
 * otherwise every match of blocked_values in the value is masked. Masking writes `****`, or
 * the hex digest of the match with hash_function. Only string values are examined unless
 * redact_all_types. Summary attributes (`redaction.*`, `redaction.body.*`): `debug` writes
 * key lists and counts, `info` counts only, `silent` (and the Collector's default, unset)
 * nothing.
 *
 * Regexes use RE2 syntax, as the Collector's Go regexp does, and run on RE2JS, a linear-time
 * engine: no user pattern can backtrack catastrophically and stall the pipeline.
 */
import { RE2JS } from 're2js';
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { digestHex, hmacHex } from './hash.js';

/** The Collector redactionprocessor options (snake_case, as in its YAML). */
export interface CollectorRedactionConfig {
  /** Allow every attribute key (disables allowed_keys); blocked_values still apply. Default false. */
  allow_all_keys?: boolean;
  /** Attribute keys kept; all others are deleted. Fails closed: empty deletes every attribute. */
  allowed_keys?: string[];
  /** Keys passed through untouched (never deleted or masked). */
  ignored_keys?: string[];
  /** Regexes of keys passed through untouched. */
  ignored_key_patterns?: string[];
  /** Regexes of keys whose whole value is masked. */
  blocked_key_patterns?: string[];
  /** Regexes whose matches in values are masked. */
  blocked_values?: string[];
  /** Regexes of values never masked (take precedence over blocked_values). */
  allowed_values?: string[];
  /** Hash matches instead of writing `****`. */
  hash_function?: 'md5' | 'sha1' | 'sha3' | 'hmac-sha256' | 'hmac-sha512';
  /** Key for the hmac hash functions (required with them). */
  hmac_key?: string;
  /** Examine non-string values too, by their string form. Default false. */
  redact_all_types?: boolean;
  /** Summary attributes: debug (keys and counts), info (counts), silent (none). Default: none. */
  summary?: 'debug' | 'info' | 'silent';
}

export const HASH_FUNCTIONS = ['md5', 'sha1', 'sha3', 'hmac-sha256', 'hmac-sha512'] as const;
const SUMMARIES = ['debug', 'info', 'silent'];
const KNOWN_KEYS = new Set(['allow_all_keys', 'allowed_keys', 'ignored_keys', 'ignored_key_patterns', 'blocked_key_patterns', 'blocked_values', 'allowed_values', 'hash_function', 'hmac_key', 'redact_all_types', 'summary']);

/** The Collector's summary attribute names. */
export const SUMMARY = {
  redactedKeys: 'redaction.redacted.keys',
  redactedCount: 'redaction.redacted.count',
  maskedKeys: 'redaction.masked.keys',
  maskedCount: 'redaction.masked.count',
  allowedKeys: 'redaction.allowed.keys',
  allowedCount: 'redaction.allowed.count',
  ignoredCount: 'redaction.ignored.count',
  bodyRedactedKeys: 'redaction.body.redacted.keys',
  bodyRedactedCount: 'redaction.body.redacted.count',
  bodyMaskedKeys: 'redaction.body.masked.keys',
  bodyMaskedCount: 'redaction.body.masked.count',
  bodyAllowedKeys: 'redaction.body.allowed.keys',
  bodyAllowedCount: 'redaction.body.allowed.count',
  bodyIgnoredCount: 'redaction.body.ignored.count',
} as const;
const SUMMARY_NAMES: ReadonlySet<string> = new Set(Object.values(SUMMARY));

type Pattern = RE2JS;
const MASK_ALL = RE2JS.compile('.*');

/** Go's ReplaceAllStringFunc: empty matches abutting a preceding match are ignored. */
function replaceAll(re: Pattern, text: string, fn: (match: string) => string): string {
  const m = re.matcher(text);
  let out = '';
  let at = 0;
  let prevEnd = -1;
  while (m.find()) {
    const start = m.start();
    const end = m.end();
    if (start === end && start === prevEnd) continue;
    out += text.slice(at, start) + fn(text.slice(start, end));
    at = end;
    prevEnd = end;
  }
  return out + text.slice(at);
}

const matches = (re: Pattern, text: string): boolean => re.matcher(text).find();

/** pcommon Value.AsString(): the string form of any attribute value. */
function asString(v: AnyValue): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return JSON.stringify(v);
}

/** Summary of one pass, merged into the attributes at the end. */
interface Tally { redacted: string[]; masked: string[]; allowed: string[]; ignored: string[] }
const newTally = (): Tally => ({ redacted: [], masked: [], allowed: [], ignored: [] });

/** A compiled Collector-compatible redaction. */
export interface CollectorRedactor {
  /** Redacts `attributes` in place and adds the summary attributes. */
  processAttributes(attributes: LogAttributes): void;
  /** Returns the redacted body and adds the body summary attributes to `attributes`. */
  processBody(body: AnyValue, attributes: LogAttributes): AnyValue;
}

/** Compiles the options; throws one ConfigError listing every problem. */
export function compileCollectorRedaction(config: CollectorRedactionConfig, path = 'redaction'): CollectorRedactor {
  const problems: ConfigProblem[] = [];
  for (const k of Object.keys(config)) if (!KNOWN_KEYS.has(k)) problems.push({ path: `${path}.${k}`, message: 'unknown option' });
  const compileList = (key: keyof CollectorRedactionConfig): Pattern[] => {
    const list = config[key];
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      problems.push({ path: `${path}.${key}`, message: 'must be a list of regular expressions' });
      return [];
    }
    const out: Pattern[] = [];
    list.forEach((p, i) => {
      try {
        out.push(RE2JS.compile(String(p)));
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
  if (config.hash_function !== undefined && !HASH_FUNCTIONS.includes(config.hash_function)) {
    problems.push({ path: `${path}.hash_function`, message: `must be one of ${HASH_FUNCTIONS.join(', ')}` });
  }
  if (config.hash_function?.startsWith('hmac-') && !config.hmac_key) {
    problems.push({ path: `${path}.hmac_key`, message: `required with hash_function ${config.hash_function}` });
  }
  if (config.summary !== undefined && !SUMMARIES.includes(config.summary)) problems.push({ path: `${path}.summary`, message: `must be one of ${SUMMARIES.join(', ')}` });
  for (const k of ['allowed_keys', 'ignored_keys'] as const) {
    if (config[k] !== undefined && !Array.isArray(config[k])) problems.push({ path: `${path}.${k}`, message: 'must be a list of keys' });
  }
  if (problems.length) throw new ConfigError(problems);

  // Sets of user-supplied keys: never plain objects (a key such as `__proto__` is only data).
  const allowed = new Set([...(config.allowed_keys ?? []), ...SUMMARY_NAMES]);
  const ignored = new Set(config.ignored_keys ?? []);
  const allowAll = config.allow_all_keys === true;
  const allTypes = config.redact_all_types === true;
  const summary = config.summary;
  const hmacKey = config.hmac_key ?? '';
  const hashMatch = ((): ((s: string) => string) => {
    switch (config.hash_function) {
      case 'md5': return (s) => digestHex('md5', s);
      case 'sha1': return (s) => digestHex('sha1', s);
      case 'sha3': return (s) => digestHex('sha3-256', s);
      case 'hmac-sha256': return (s) => hmacHex('sha256', hmacKey, s);
      case 'hmac-sha512': return (s) => hmacHex('sha512', hmacKey, s);
      default: return () => '****';
    }
  })();

  // Key decisions depend only on the key, and telemetry repeats a small set of keys: each
  // key's decision is computed once (bounded memo), so key patterns cost nothing per record.
  const IGNORE = 1, REDACT = 2, MASK = 4;
  const keyMemo = new Map<string, number>();
  const keyFlags = (k: string): number => {
    let f = keyMemo.get(k);
    if (f === undefined) {
      f = (ignored.has(k) || ignoredPatterns.some((re) => matches(re, k)) ? IGNORE : 0) |
        (!allowAll && !allowed.has(k) ? REDACT : 0) |
        (blockedKeyPatterns.some((re) => matches(re, k)) ? MASK : 0);
      if (keyMemo.size < 10_000) keyMemo.set(k, f);
    }
    return f;
  };
  const shouldIgnore = (k: string): boolean => (keyFlags(k) & IGNORE) !== 0;
  const shouldRedact = (k: string): boolean => (keyFlags(k) & REDACT) !== 0;
  const shouldMaskKey = (k: string): boolean => (keyFlags(k) & MASK) !== 0;
  const shouldAllowValue = (v: string): boolean => allowedValues.length > 0 && allowedValues.some((re) => matches(re, v));
  const maskValue = (v: string, re: Pattern): string => replaceAll(re, v, hashMatch);
  const processString = (v: string): string => {
    let s = v;
    for (const re of blockedValues) if (matches(re, s)) s = maskValue(s, re);
    return s;
  };
  // The whole-value mask of a blocked key does not depend on the value unless it is hashed.
  const maskWhole = config.hash_function === undefined ? (): string => '****' : (v: string): string => maskValue(v, MASK_ALL);

  const addMeta = (attrs: LogAttributes, keys: string[], keysAttr: string | undefined, countAttr: string): void => {
    if (keys.length === 0) return;
    let list = keys;
    if (summary === 'debug' && keysAttr) {
      const existing = attrs[keysAttr];
      if (typeof existing === 'string' && existing !== '') list = [...keys, ...existing.split(',')];
      attrs[keysAttr] = [...list].sort().join(',');
    }
    if (summary === 'debug' || summary === 'info') {
      const existing = attrs[countAttr];
      attrs[countAttr] = keys.length + (typeof existing === 'number' ? existing : 0);
    }
  };

  /** A map or array inside a body, recursively (the Collector's redactLogBodyRecursive). */
  const bodyValue = (key: string, value: AnyValue, t: Tally): AnyValue => {
    if (Array.isArray(value)) return value.map((v, i) => bodyValue(`${key}.[${i}]`, v, t));
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) return bodyMap(value as Record<string, AnyValue>, `${key}.`, t);
    const s = asString(value);
    if (shouldAllowValue(s)) {
      t.allowed.push(key);
      return value;
    }
    const processed = processString(s);
    if (processed !== s) {
      t.masked.push(key);
      return processed;
    }
    return value;
  };

  const bodyMap = (map: Record<string, AnyValue>, prefix: string, t: Tally): Record<string, AnyValue> => {
    const out: Record<string, AnyValue> = {};
    for (const [k, v] of Object.entries(map)) {
      const keyWithPath = `${prefix}${k}`;
      let next: AnyValue;
      if (shouldIgnore(k)) {
        t.ignored.push(keyWithPath);
        next = v;
      } else if (shouldRedact(k)) {
        t.redacted.push(keyWithPath);
        continue;
      } else if (shouldMaskKey(k)) {
        t.masked.push(keyWithPath);
        next = maskWhole(typeof v === 'string' ? v : '');
      } else {
        next = bodyValue(keyWithPath, v, t);
      }
      Object.defineProperty(out, k, { value: next, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };

  return {
    processAttributes(attributes: LogAttributes): void {
      const t = newTally();
      for (const [k, value] of Object.entries(attributes)) {
        if (shouldIgnore(k)) {
          t.ignored.push(k);
          continue;
        }
        if (shouldRedact(k)) {
          t.redacted.push(k);
          continue;
        }
        const s = allTypes ? asString(value) : typeof value === 'string' ? value : '';
        if (shouldAllowValue(s)) {
          t.allowed.push(k);
          continue;
        }
        if (shouldMaskKey(k)) {
          t.masked.push(k);
          attributes[k] = maskWhole(s);
          continue;
        }
        const processed = processString(s);
        if (processed !== s) {
          t.masked.push(k);
          attributes[k] = processed;
        }
      }
      for (const k of t.redacted) delete attributes[k];
      addMeta(attributes, t.redacted, SUMMARY.redactedKeys, SUMMARY.redactedCount);
      addMeta(attributes, t.masked, SUMMARY.maskedKeys, SUMMARY.maskedCount);
      addMeta(attributes, t.allowed, SUMMARY.allowedKeys, SUMMARY.allowedCount);
      addMeta(attributes, t.ignored, undefined, SUMMARY.ignoredCount);
    },

    processBody(body: AnyValue, attributes: LogAttributes): AnyValue {
      const t = newTally();
      let out: AnyValue = body;
      if (Array.isArray(body)) out = body.map((v, i) => bodyValue(`[${i}]`, v, t));
      else if (body !== null && typeof body === 'object' && !(body instanceof Uint8Array)) out = bodyMap(body as Record<string, AnyValue>, '', t);
      else if (body !== undefined && body !== null) {
        const s = asString(body);
        // As in the Collector: an allowed string body is left alone and not summarized.
        if (shouldAllowValue(s)) return body;
        const processed = processString(s);
        if (processed !== s) {
          t.masked.push('body');
          out = processed;
        }
      }
      addMeta(attributes, t.redacted, SUMMARY.bodyRedactedKeys, SUMMARY.bodyRedactedCount);
      addMeta(attributes, t.masked, SUMMARY.bodyMaskedKeys, SUMMARY.bodyMaskedCount);
      addMeta(attributes, t.allowed, SUMMARY.bodyAllowedKeys, SUMMARY.bodyAllowedCount);
      addMeta(attributes, t.ignored, undefined, SUMMARY.bodyIgnoredCount);
      return out;
    },
  };
}
