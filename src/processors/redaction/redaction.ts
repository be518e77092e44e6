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
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import type { CollectorRedactionConfig } from './config.js';
import { asString, newTally, writeSummary, type KeyRules, type Tally, type ValueRules } from './steps.js';

/** A compiled Collector-compatible redaction. */
export interface CollectorRedactor {
  /** Redacts `attributes` in place and adds the summary attributes. */
  processAttributes(attributes: LogAttributes): void;
  /** Returns the redacted body and adds the body summary attributes to `attributes`. */
  processBody(body: AnyValue, attributes: LogAttributes): AnyValue;
}

/** The redaction a configuration's compiled key and value rules make (factory.ts compiles them). */
export function collectorRedactor(config: CollectorRedactionConfig, keys: KeyRules, values: ValueRules): CollectorRedactor {
  const allTypes = config.redact_all_types === true;

  /** A map or array inside a body, recursively (the Collector's redactLogBodyRecursive). */
  const bodyValue = (key: string, value: AnyValue, t: Tally): AnyValue => {
    if (Array.isArray(value)) return value.map((v, i) => bodyValue(`${key}.[${i}]`, v, t));
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) return bodyMap(value, `${key}.`, t);
    const s = asString(value);
    if (values.shouldAllowValue(s)) {
      t.allowed.push(key);
      return value;
    }
    const processed = values.maskValue(s);
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

  return {
    processAttributes(attributes: LogAttributes): void {
      const t = newTally();
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
        const processed = values.maskValue(s);
        if (processed !== s) {
          t.masked.push(k);
          attributes[k] = processed;
        }
      }
      for (const k of t.redacted) delete attributes[k];
      writeSummary(attributes, t, config.summary, false);
    },

    processBody(body: AnyValue, attributes: LogAttributes): AnyValue {
      const t = newTally();
      let out: AnyValue = body;
      if (Array.isArray(body)) out = body.map((v, i) => bodyValue(`[${i}]`, v, t));
      else if (body !== null && typeof body === 'object' && !(body instanceof Uint8Array)) out = bodyMap(body, '', t);
      else if (body !== undefined && body !== null) {
        const s = asString(body);
        // As in the Collector: an allowed string body is left alone and not summarized.
        if (values.shouldAllowValue(s)) return body;
        const processed = values.maskValue(s);
        if (processed !== s) {
          t.masked.push('body');
          out = processed;
        }
      }
      writeSummary(attributes, t, config.summary, true);
      return out;
    },
  };
}
