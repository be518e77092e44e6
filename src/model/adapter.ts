import type { VendorApi } from './api.js';
import type { ActionCatalog } from './catalog.js';
import type { AuditEvent, NormalizeOptions, Vendor } from './event.js';

/** What every vendor adapter in adapters/ provides. */
export interface VendorAdapter {
  readonly vendor: Vendor;
  /** Every documented vendor action with its category and operation. */
  readonly actions: ActionCatalog;
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
