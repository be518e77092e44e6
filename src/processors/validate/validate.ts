/**
 * Validation of events against the unified schema with the precompiled validator. What happens
 * to an invalid event (`on_invalid`) is decided by the RejectionRouter (src/components).
 */
import { toUtcTime } from '../../model/time.js';
import type { AuditInputError } from '../../errors.js';
import type { AuditEvent } from '../../model/event.js';
import type { Problem } from '../../components/event-processor.js';
import { describeSchemaErrors, validateAuditEvent } from '../../model/validators.js';

/** One validation problem: bounded code, JSON pointer, message. */
export type ValidationProblem = Problem;

/** Validates an event against the unified schema; returns its problems (empty when valid). */
export function validateEvent(event: unknown): ValidationProblem[] {
  if (validateAuditEvent(event)) {
    // What the schema cannot say: the time is one OTLP can carry (1970 to 2262).
    try {
      toUtcTime(event.time, '/time');
      return [];
    } catch (err) {
      const e = err as AuditInputError;
      return [{ code: e.code, pointer: '/time', message: e.message }];
    }
  }
  return (validateAuditEvent.errors ?? []).slice(0, 10).map((e, i) => {
    const missing = e.keyword === 'required' && typeof e.params?.missingProperty === 'string' ? `/${e.params.missingProperty}` : '';
    return {
      code: 'schema_violation',
      pointer: `${e.instancePath}${missing}` || '/',
      message: describeSchemaErrors(validateAuditEvent.errors)[i] ?? e.keyword,
    };
  });
}

/** Type guard form, for callers that only need yes or no. */
export function isValidEvent(event: unknown): event is AuditEvent {
  return validateAuditEvent(event);
}
