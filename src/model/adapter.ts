import { AuditInputError } from '../errors.js';
import type { VendorApi } from './api.js';
import { deadLetter, type DeadLetter } from './dead-letter.js';
import type { InputRecord } from './record.js';
import type { OcsfMapping } from './ocsf.js';
import type { ActionCatalog } from './catalog.js';
import type { AuditEvent, NormalizeOptions, Vendor } from './event.js';

/** What every vendor adapter in adapters/ provides. */
export interface VendorAdapter {
  readonly vendor: Vendor;
  /** Every documented vendor action with its category and operation. */
  readonly actions: ActionCatalog;
  /** The OCSF class and activity of every catalog action, and the vendor's product (adapters/<vendor>/ocsf.json). */
  readonly ocsf: OcsfMapping;
  /** The vendor record schema, relative to the package root. */
  readonly recordSchema: string;
  /**
   * Key of the array of records in the vendor's paginated envelope (`audit_logs` for W&B,
   * `items` for Wherobots), if it has one.
   */
  readonly envelopeKey?: string;
  /** True when the vendor's export is CSV, so `--from auto` reads any CSV input as this vendor. */
  readonly csvExport?: boolean;
  /** Maps one raw vendor record to an event; throws `AuditInputError` for bad input. */
  normalize(raw: unknown, options?: NormalizeOptions): AuditEvent;
  /** How the vendor's audit log API is called (adapters/<vendor>/client.ts). */
  readonly api: VendorApi;
  /** Cheap shape test used by `--from auto`. */
  looksLike(record: Record<string, unknown>): boolean;
}

/** The outcome of one input record: an event, or why it was rejected and by which stage. */
export type RecordOutcome =
  { event: AuditEvent; vendor: Vendor } | { error: AuditInputError; stage: 'receive' | 'normalize'; vendor?: Vendor };

/** Normalizes one input record with `adapter` (the step `convert` and `pull` share). Never throws. */
export function applyAdapter(adapter: VendorAdapter, rec: InputRecord, options: NormalizeOptions): RecordOutcome {
  if (rec.error) return { error: rec.error, stage: 'receive' };
  try {
    return { event: adapter.normalize(rec.value, options), vendor: adapter.vendor };
  } catch (err) {
    return { error: asInputError(err), stage: 'normalize', vendor: adapter.vendor };
  }
}

/**
 * What normalizing threw, as an AuditInputError: itself when it is one, else (a bug in an
 * adapter, a Proxy trap, a throwing getter, a thrown non-Error, even a thrown Proxy) a
 * `schema_violation` that carries it as `cause`. Never throws.
 */
export function asInputError(err: unknown): AuditInputError {
  if (isInputError(err)) return err;
  return new AuditInputError('schema_violation', `cannot normalize record: ${describeThrown(err)}`, '', { cause: err });
}

/** `err instanceof AuditInputError`, false when asking throws (a thrown Proxy). */
function isInputError(err: unknown): err is AuditInputError {
  try {
    return err instanceof AuditInputError;
  } catch {
    return false;
  }
}

/** A thrown value's message, without calling anything that may throw again (getters, toString). */
function describeThrown(err: unknown): string {
  try {
    if (err instanceof Error && typeof err.message === 'string') return err.message;
    if (typeof err === 'string') return err;
  } catch {
    // a Proxy or a getter on the thrown value: fall through
  }
  return 'the record could not be read';
}

/** The dead letter of a rejected record. */
export function deadLetterOf(
  rec: InputRecord,
  outcome: { error: AuditInputError; stage: 'receive' | 'normalize'; vendor?: Vendor },
): DeadLetter {
  const pointer = `${rec.location.pointer ?? ''}${outcome.error.pointer ?? ''}`;
  const source = { ...rec.location, ...(pointer ? { pointer } : {}) };
  return deadLetter(
    outcome.stage,
    outcome.error.code,
    outcome.error.message,
    source,
    rec.text,
    outcome.vendor,
    rec.csvHeader,
    rec.encoding,
  );
}
