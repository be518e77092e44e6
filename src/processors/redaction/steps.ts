/**
 * The Collector redactionprocessor's decisions as named steps, each compiled once from the
 * options: should-ignore-key, should-redact-key, should-mask-key, should-allow-value,
 * mask-value, and the summary attributes.
 */
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import type { RE2JS } from 're2js';
import { digestHex, hmacHex } from '../../redact/hash.js';
import { REDACTION_MASK, hashFunctionOf, type CollectorRedactionConfig } from './config.js';

export type Pattern = RE2JS;

/** The summary attribute names the Collector writes. */
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
/**
 * The summary attributes the Collector keeps without allowed_keys (its allow list adds exactly
 * these); the others (`redaction.allowed.*`, `redaction.body.*`) a second pass deletes unless allowed.
 */
const SUMMARY_NAMES: ReadonlySet<string> = new Set([
  SUMMARY.redactedKeys,
  SUMMARY.redactedCount,
  SUMMARY.maskedKeys,
  SUMMARY.maskedCount,
  SUMMARY.ignoredCount,
]);

export const matches = (re: Pattern, text: string): boolean => re.matcher(text).find();

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

/** pcommon Value.AsString(): the string form of any attribute value. */
export function asString(v: AnyValue): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return JSON.stringify(v);
}

/** Key decisions, which depend only on the key. */
export interface KeyRules {
  shouldIgnoreKey(key: string): boolean;
  shouldRedactKey(key: string): boolean;
  shouldMaskKey(key: string): boolean;
}

/**
 * Compiles the key steps. Telemetry repeats a small set of keys, so each key's decision is
 * computed once (a bounded memo): key patterns cost nothing per record. User-supplied keys live
 * in Sets, never in plain objects (`__proto__` is only data).
 */
export function keyRules(
  config: CollectorRedactionConfig,
  ignoredPatterns: readonly Pattern[],
  blockedKeyPatterns: readonly Pattern[],
): KeyRules {
  const allowed = new Set([...(config.allowed_keys ?? []), ...SUMMARY_NAMES]);
  const ignored = new Set(config.ignored_keys ?? []);
  const allowAll = config.allow_all_keys === true;
  const IGNORE = 1;
  const REDACT = 2;
  const MASK = 4;
  const memo = new Map<string, number>();
  const flags = (k: string): number => {
    let f = memo.get(k);
    if (f === undefined) {
      f =
        (ignored.has(k) || ignoredPatterns.some((re) => matches(re, k)) ? IGNORE : 0) |
        (!allowAll && !allowed.has(k) ? REDACT : 0) |
        (blockedKeyPatterns.some((re) => matches(re, k)) ? MASK : 0);
      if (memo.size < 10_000) memo.set(k, f);
    }
    return f;
  };
  return {
    shouldIgnoreKey: (k) => (flags(k) & IGNORE) !== 0,
    shouldRedactKey: (k) => (flags(k) & REDACT) !== 0,
    shouldMaskKey: (k) => (flags(k) & MASK) !== 0,
  };
}

/** Value decisions. */
export interface ValueRules {
  shouldAllowValue(value: string): boolean;
  /** Every match of blocked_values masked (or hashed). */
  maskValue(value: string): string;
  /** The whole value masked (a blocked key). */
  maskWhole(value: string): string;
}

/** Compiles the value steps: allowed_values, blocked_values and the hash function. */
export function valueRules(
  config: CollectorRedactionConfig,
  blockedValues: readonly Pattern[],
  allowedValues: readonly Pattern[],
  maskAll: Pattern,
): ValueRules {
  const hmacKey = config.hmac_key ?? '';
  const hashMatch = ((): ((s: string) => string) => {
    switch (hashFunctionOf(config.hash_function)) {
      case 'md5':
        return (s) => digestHex('md5', s);
      case 'sha1':
        return (s) => digestHex('sha1', s);
      case 'sha3':
        return (s) => digestHex('sha3-256', s);
      case 'hmac-sha256':
        return (s) => hmacHex('sha256', hmacKey, s);
      case 'hmac-sha512':
        return (s) => hmacHex('sha512', hmacKey, s);
      default:
        return () => REDACTION_MASK;
    }
  })();
  return {
    shouldAllowValue: (v) => allowedValues.length > 0 && allowedValues.some((re) => matches(re, v)),
    maskValue: (v) => {
      let s = v;
      for (const re of blockedValues) if (matches(re, s)) s = replaceAll(re, s, hashMatch);
      return s;
    },
    // The whole-value mask of a blocked key does not depend on the value unless it is hashed.
    maskWhole: config.hash_function === undefined ? () => REDACTION_MASK : (v) => replaceAll(maskAll, v, hashMatch),
  };
}

/** What one pass over attributes or a body did, by key. */
export interface Tally {
  redacted: string[];
  masked: string[];
  allowed: string[];
  ignored: string[];
}
export const newTally = (): Tally => ({ redacted: [], masked: [], allowed: [], ignored: [] });

/** Adds one summary: `debug` writes the sorted key list and the count, `info` the count. */
function addSummary(
  attrs: LogAttributes,
  summary: CollectorRedactionConfig['summary'],
  keys: string[],
  keysAttr: string | undefined,
  countAttr: string,
): void {
  if (keys.length === 0) return;
  if (summary === 'debug' && keysAttr) {
    const existing = attrs[keysAttr];
    const list = typeof existing === 'string' && existing !== '' ? [...keys, ...existing.split(',')] : [...keys];
    attrs[keysAttr] = list.sort().join(',');
  }
  if (summary === 'debug' || summary === 'info') {
    const existing = attrs[countAttr];
    attrs[countAttr] = keys.length + (typeof existing === 'number' ? existing : 0);
  }
}

/** Which summary attributes each kind of key goes to: attributes, then body (no key list for ignored). */
const SUMMARY_ATTRIBUTES: readonly [keyof Tally, readonly [string | undefined, string], readonly [string | undefined, string]][] = [
  ['redacted', [SUMMARY.redactedKeys, SUMMARY.redactedCount], [SUMMARY.bodyRedactedKeys, SUMMARY.bodyRedactedCount]],
  ['masked', [SUMMARY.maskedKeys, SUMMARY.maskedCount], [SUMMARY.bodyMaskedKeys, SUMMARY.bodyMaskedCount]],
  ['allowed', [SUMMARY.allowedKeys, SUMMARY.allowedCount], [SUMMARY.bodyAllowedKeys, SUMMARY.bodyAllowedCount]],
  ['ignored', [undefined, SUMMARY.ignoredCount], [undefined, SUMMARY.bodyIgnoredCount]],
];

/** Writes the summary attributes of a pass: `debug` keys and counts, `info` counts, else nothing. */
export function writeSummary(attrs: LogAttributes, t: Tally, summary: CollectorRedactionConfig['summary'], body: boolean): void {
  if (summary !== 'debug' && summary !== 'info') return;
  for (const [kind, onAttributes, onBody] of SUMMARY_ATTRIBUTES) {
    const [keysAttr, countAttr] = body ? onBody : onAttributes;
    addSummary(attrs, summary, t[kind], keysAttr, countAttr);
  }
}
