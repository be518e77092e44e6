/**
 * Validation with the precompiled validator and the `on_invalid` policy:
 * `drop` (counted), `pass` (forwarded, annotated with `audit.validation.errors`), or
 * `dead_letter` (written to an NDJSON dead-letter file with the reason, location and original
 * text). A record is never silently lost: received = forwarded + dropped + dead-lettered.
 */
import type { AuditEvent } from '../model/event.js';
import { describeSchemaErrors, validateAuditEvent } from '../model/validators.js';

/** What happens to a record that fails validation. */
export type OnInvalid = 'drop' | 'pass' | 'dead_letter';
export const ON_INVALID: readonly OnInvalid[] = ['drop', 'pass', 'dead_letter'];
/** Default `on_invalid`: invalid records do not flow on (fail closed), and are counted. */
export const DEFAULT_ON_INVALID: OnInvalid = 'drop';

/** One validation problem: bounded code, JSON pointer, message. */
export interface ValidationProblem {
  code: string;
  pointer: string;
  message: string;
}

/** Validates an event against the unified schema; returns its problems (empty when valid). */
export function validateEvent(event: unknown): ValidationProblem[] {
  if (validateAuditEvent(event)) return [];
  return (validateAuditEvent.errors ?? []).slice(0, 10).map((e, i) => {
    const missing = e.keyword === 'required' && typeof e.params?.missingProperty === 'string' ? `/${e.params.missingProperty}` : '';
    return { code: 'schema_violation', pointer: `${e.instancePath}${missing}` || '/', message: describeSchemaErrors(validateAuditEvent.errors)[i] ?? e.keyword };
  });
}

/** Type guard form, for callers that only need yes or no. */
export function isValidEvent(event: unknown): event is AuditEvent {
  return validateAuditEvent(event);
}
