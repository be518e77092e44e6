import { AuditInputError } from '../errors.js';
import type { AuditEvent, SnorkelAuditRecord, WandbAuditRecord, WherobotsAuditRecord } from '../generated/types.js';
import * as generated from '../generated/validators.js';

/** One error of a precompiled validator (the subset of ajv's ErrorObject auditkit reads). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** A precompiled (ajv standalone) validator that narrows to `T`. */
export interface Validator<T> {
  (data: unknown): data is T;
  errors?: SchemaError[] | null;
}

/** Validator for schemas/audit-event.v1.schema.json. */
export const validateAuditEvent = generated.validateAuditEvent as unknown as Validator<AuditEvent>;
/** Validator for schemas/vendor/wandb.schema.json. */
export const validateWandbRecord = generated.validateWandbRecord as unknown as Validator<WandbAuditRecord>;
/** Validator for schemas/vendor/snorkel.schema.json. */
export const validateSnorkelRecord = generated.validateSnorkelRecord as unknown as Validator<SnorkelAuditRecord>;
/** Validator for schemas/vendor/wherobots.schema.json. */
export const validateWherobotsRecord = generated.validateWherobotsRecord as unknown as Validator<WherobotsAuditRecord>;

/** Describes a validator's errors as `pointer: message` strings (bounded to the first 5). */
export function describeSchemaErrors(errors: readonly SchemaError[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 5).map((e) => {
    let pointer = e.instancePath || '/';
    if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
      pointer = `${e.instancePath}/${e.params.missingProperty}`;
    }
    return `${pointer}: ${e.message ?? e.keyword}`;
  });
}

/**
 * Checks `raw` with a vendor validator and returns it typed, or throws
 * `AuditInputError('schema_violation')` with the JSON pointer of the first problem.
 */
export function checkRecord<T>(validate: Validator<T>, raw: unknown, what: string): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AuditInputError('not_an_object', `${what} record must be a JSON object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`, '');
  }
  if (validate(raw)) return raw;
  const first = validate.errors?.[0];
  let pointer = first?.instancePath ?? '';
  if (first?.keyword === 'required' && typeof first.params?.missingProperty === 'string') {
    pointer = `${pointer}/${first.params.missingProperty}`;
  }
  throw new AuditInputError('schema_violation', `not a valid ${what} record: ${describeSchemaErrors(validate.errors).join('; ')}`, pointer);
}
