import { AuditInputError, type ConfigProblem } from '../errors.js';
import type {
  AuditEvent,
  CollectorRedactionConfig,
  SnorkelAuditRecord,
  WandbAuditRecord,
  WherobotsAuditRecord,
} from '../generated/types.js';
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

/** Validator for the Collector redaction options, schemas/config.v1.schema.json `$defs/redaction`. */
export const validateRedactionConfig = generated.validateRedactionConfig as unknown as Validator<CollectorRedactionConfig>;

/** ajv instancePath (`/receivers/wandb~1prod/url`) -> dotted (`receivers.wandb/prod.url`). */
const dotted = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');

/**
 * A configuration validator's errors as problems with dotted paths below `base`: a missing
 * option names the option, an unknown one says `unknown option` (or what `unknownKey` says for
 * its parent path), an enum lists the allowed values. Values are never printed (secrets).
 */
export function configProblems(
  errors: readonly SchemaError[] | null | undefined,
  base = '',
  unknownKey?: (parentPath: string) => string | undefined,
): ConfigProblem[] {
  const join = (a: string, b: string): string => (a && b ? `${a}.${b}` : a || b);
  return (errors ?? []).map((e) => {
    let path = join(base, dotted(e.instancePath));
    let message = e.message ?? e.keyword;
    if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
      path = join(path, e.params.missingProperty);
      message = 'required';
    } else if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
      message = unknownKey?.(dotted(e.instancePath)) ?? 'unknown option';
      path = join(path, e.params.additionalProperty);
    } else if (e.keyword === 'enum' && Array.isArray(e.params?.allowedValues)) {
      message = `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
    }
    return { path: path || '(top level)', message };
  });
}

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
    throw new AuditInputError(
      'not_an_object',
      `${what} record must be a JSON object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
      '',
    );
  }
  if (validate(raw)) return raw;
  const first = validate.errors?.[0];
  let pointer = first?.instancePath ?? '';
  if (first?.keyword === 'required' && typeof first.params?.missingProperty === 'string') {
    pointer = `${pointer}/${first.params.missingProperty}`;
  }
  throw new AuditInputError('schema_violation', `not a valid ${what} record: ${describeSchemaErrors(validate.errors).join('; ')}`, pointer);
}
