import type { AuditEvent } from '../generated/types.js';
import { canonicalSha256 } from './canonical.js';

export type { AuditEvent } from '../generated/types.js';

/** The vendors auditkit has adapters for. */
export type Vendor = AuditEvent['vendor'];
/** The closed set of normalized operations. */
export type Operation = AuditEvent['action']['operation'];
/** One entry of `AuditEvent.resources`. */
export type Resource = NonNullable<AuditEvent['resources']>[number];

/** Current value of `AuditEvent.schema_version`. */
export const SCHEMA_VERSION = '1.0' as const;

/** Vendors in a stable order. */
export const VENDORS: readonly Vendor[] = ['wandb', 'snorkel', 'wherobots'];

/** Options every adapter's `normalize` accepts. */
export interface NormalizeOptions {
  /** Copy the original record into `raw` (CLI `--keep-raw`). Default false. */
  keepRaw?: boolean;
}

/**
 * `<vendor>:<vendor event id>` when the vendor gives an id, else `<vendor>:sha256:<hex>` of
 * the canonical (sorted-key) raw record.
 */
export function eventId(vendor: Vendor, vendorId: string | undefined, raw: unknown): string {
  return vendorId !== undefined && vendorId !== '' ? `${vendor}:${vendorId}` : `${vendor}:sha256:${canonicalSha256(raw)}`;
}

/**
 * Sets an own, enumerable data property even for keys such as `__proto__`, which plain
 * assignment would treat as the object's prototype. Input keys are data, never a way in.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** `true` when `value` is a non-null, non-array object. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Vendor ids arrive as numbers or strings; events always carry strings. */
export function idString(value: string | number | null | undefined): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** Returns `obj` when it has at least one defined property, else undefined (keeps events free of `{}`). */
export function nonEmpty<T extends object>(obj: T): T | undefined {
  for (const v of Object.values(obj)) if (v !== undefined) return dropUndefined(obj);
  return undefined;
}

function dropUndefined<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) if (obj[k] === undefined) delete obj[k];
  return obj;
}

/**
 * Copies every key of `record` that is not in `mapped` into a fresh `details` object, and
 * every mapped key whose value is `null` (a null has no mapped place, and dropping it would
 * lose the fact the vendor sent it); returns undefined when there is none.
 */
export function unmappedDetails(record: Record<string, unknown>, mapped: ReadonlySet<string>): Record<string, unknown> | undefined {
  let details: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    if (mapped.has(key) && record[key] !== null) continue;
    details ??= {};
    setOwn(details, key, record[key]);
  }
  return details;
}
