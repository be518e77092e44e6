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
 * After the value steps, `url_sanitizer` rewrites the listed attributes (and body strings) and
 * `db_sanitizer` the listed attributes (and a string body) for the record's `db.system.name`;
 * a value they change counts as masked, as in the Collector.
 *
 * Regexes use RE2 syntax, as the Collector's Go regexp does, and run on RE2JS, a linear-time
 * engine: no user pattern can backtrack catastrophically and stall the pipeline.
 */
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import type { CollectorRedactionConfig } from './config.js';
import type { DbSanitizer } from './db-sanitizer.js';
import { asString, newTally, writeSummary, type KeyRules, type Tally, type ValueRules } from './steps.js';
import type { UrlSanitizer } from './url-sanitizer.js';

/** A log record as the runtime holds it: its resource's and scope's attributes, its own, its body. */
export interface RedactableRecord {
  resource?: LogAttributes;
  scope?: LogAttributes;
  attributes: LogAttributes;
  body?: AnyValue;
}

/** A compiled Collector-compatible redaction. */
export interface CollectorRedactor {
  /** Redacts `attributes` in place and adds the summary attributes. */
  processAttributes(attributes: LogAttributes): void;
  /**
   * Returns the redacted body and adds the body summary attributes to `attributes`; `system` is
   * the record's db.system(.name) as it was before its attributes were redacted (default: read
   * from `attributes`).
   */
  processBody(body: AnyValue, attributes: LogAttributes, system?: string): AnyValue;
  /**
   * The whole record, in the Collector's order: resource attributes, scope attributes, the
   * record's attributes, its body. Each attribute map is redacted in place; the body is returned
   * in `record.body`.
   */
  processRecord(record: RedactableRecord): void;
}

/** The optional sanitizers (factory.ts builds them from `url_sanitizer` and `db_sanitizer`). */
export interface Sanitizers {
  url?: { sanitizer: UrlSanitizer; attributes: ReadonlySet<string>; body: boolean };
  db?: DbSanitizer;
}

/** The database system a record names (`db.system.name`, else the older `db.system`). */
export function dbSystemOf(attributes: LogAttributes): string {
  const v = attributes['db.system.name'] ?? attributes['db.system'];
  return typeof v === 'string' ? v : '';
}

/** The redaction a configuration's compiled key and value rules make (factory.ts compiles them). */
export function collectorRedactor(
  config: CollectorRedactionConfig,
  keys: KeyRules,
  values: ValueRules,
  sanitizers: Sanitizers = {},
): CollectorRedactor {
  const allTypes = config.redact_all_types === true;
  const { url, db } = sanitizers;

  /** A string after the value steps: URL, then database sanitizing of a listed key. */
  const sanitizeAttribute = (key: string, s: string, system: string): string => {
    let out = s;
    if (url && out !== '' && url.attributes.has(key)) out = url.sanitizer.sanitize(out);
    if (db) out = db.attribute(out, key, system);
    return out;
  };
  const sanitizeBodyString = (s: string): string => (url?.body && s !== '' ? url.sanitizer.sanitize(s) : s);

  /** A map or array inside a body, recursively (the Collector's redactLogBodyRecursive). */
  const bodyValue = (key: string, value: AnyValue, t: Tally): AnyValue => {
    if (Array.isArray(value)) return value.map((v, i) => bodyValue(`${key}.[${i}]`, v, t));
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) return bodyMap(value, `${key}.`, t);
    const s = asString(value);
    if (values.shouldAllowValue(s)) {
      t.allowed.push(key);
      return value;
    }
    let processed = values.maskValue(s);
    if (typeof value === 'string') processed = sanitizeBodyString(processed);
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
      if (keys.shouldIgnoreKey(k)) {
        t.ignored.push(keyWithPath);
        next = v;
      } else if (keys.shouldRedactKey(k)) {
        t.redacted.push(keyWithPath);
        continue;
      } else if (keys.shouldMaskKey(k)) {
        t.masked.push(keyWithPath);
        next = values.maskWhole(typeof v === 'string' ? v : '');
      } else {
        next = bodyValue(keyWithPath, v, t);
      }
      Object.defineProperty(out, k, { value: next, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };

  const processAttributes = (attributes: LogAttributes): void => {
    const t = newTally();
    const system = db ? dbSystemOf(attributes) : '';
    for (const [k, value] of Object.entries(attributes)) {
      if (keys.shouldIgnoreKey(k)) {
        t.ignored.push(k);
        continue;
      }
      if (keys.shouldRedactKey(k)) {
        t.redacted.push(k);
        continue;
      }
      const s = allTypes ? asString(value) : typeof value === 'string' ? value : '';
      if (values.shouldAllowValue(s)) {
        t.allowed.push(k);
        continue;
      }
      if (keys.shouldMaskKey(k)) {
        t.masked.push(k);
        attributes[k] = values.maskWhole(s);
        continue;
      }
      let processed = values.maskValue(s);
      if (typeof value === 'string') processed = sanitizeAttribute(k, processed, system);
      if (processed !== s) {
        t.masked.push(k);
        attributes[k] = processed;
      }
    }
    for (const k of t.redacted) delete attributes[k];
    writeSummary(attributes, t, config.summary, false);
  };

  const processBody = (body: AnyValue, attributes: LogAttributes, system = db ? dbSystemOf(attributes) : ''): AnyValue => {
    const t = newTally();
    let out: AnyValue = body;
    if (Array.isArray(body)) out = body.map((v, i) => bodyValue(`[${i}]`, v, t));
    else if (body !== null && typeof body === 'object' && !(body instanceof Uint8Array)) out = bodyMap(body, '', t);
    else if (body !== undefined && body !== null) {
      const s = asString(body);
      // As in the Collector: an allowed string body is left alone and not summarized.
      if (values.shouldAllowValue(s)) return body;
      let processed = values.maskValue(s);
      if (typeof body === 'string') {
        processed = sanitizeBodyString(processed);
        if (db) processed = db.body(processed, system);
      }
      if (processed !== s) {
        t.masked.push('body');
        out = processed;
      }
    }
    writeSummary(attributes, t, config.summary, true);
    return out;
  };

  return {
    processAttributes,
    processBody,
    processRecord(record: RedactableRecord): void {
      if (record.resource) processAttributes(record.resource);
      if (record.scope) processAttributes(record.scope);
      const system = db ? dbSystemOf(record.attributes) : '';
      processAttributes(record.attributes);
      if (record.body !== undefined) record.body = processBody(record.body, record.attributes, system);
    },
  };
}
