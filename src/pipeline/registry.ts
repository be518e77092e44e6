/**
 * The component registry: the one place that imports the concrete adapters.
 */
import { snorkelAdapter } from '../../adapters/snorkel/index.js';
import { wandbAdapter } from '../../adapters/wandb/index.js';
import { wherobotsAdapter } from '../../adapters/wherobots/index.js';
import type { VendorAdapter } from '../model/adapter.js';
import type { Vendor } from '../model/event.js';

/** Every adapter by vendor. */
export const ADAPTERS: ReadonlyMap<Vendor, VendorAdapter> = new Map<Vendor, VendorAdapter>([
  ['wandb', wandbAdapter],
  ['snorkel', snorkelAdapter],
  ['wherobots', wherobotsAdapter],
]);

/** Every envelope key any adapter uses (`audit_logs`, `items`). */
export const ENVELOPE_KEYS: ReadonlySet<string> = new Set(
  [...ADAPTERS.values()].flatMap((a) => (a.envelopeKey ? [a.envelopeKey] : [])),
);

/** The adapter for a vendor name, or undefined for an unknown name. */
export function adapterFor(vendor: string): VendorAdapter | undefined {
  return ADAPTERS.get(vendor as Vendor);
}

/**
 * The key of the record array when `obj` is a vendor page envelope: it has an adapter's
 * envelope key holding an array and does not itself look like a record of any vendor.
 */
export function envelopeKeyOf(obj: Record<string, unknown>): string | undefined {
  for (const a of ADAPTERS.values()) {
    if (a.envelopeKey && Object.hasOwn(obj, a.envelopeKey) && Array.isArray(obj[a.envelopeKey])) {
      for (const b of ADAPTERS.values()) if (b.looksLike(obj)) return undefined;
      return a.envelopeKey;
    }
  }
  return undefined;
}

/** The adapter whose envelope uses `key`. */
export function adapterForEnvelope(key: string): VendorAdapter | undefined {
  for (const a of ADAPTERS.values()) if (a.envelopeKey === key) return a;
  return undefined;
}

/** The first adapter whose shape test accepts the record (`--from auto`). */
export function detectAdapter(record: Record<string, unknown>): VendorAdapter | undefined {
  for (const a of ADAPTERS.values()) if (a.looksLike(record)) return a;
  return undefined;
}
