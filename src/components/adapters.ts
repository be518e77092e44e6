/**
 * The vendor adapters table, part of the component registry: the one place that imports the
 * concrete adapters. Recognizes a record's vendor (`--from auto`), a page envelope, and
 * normalizes records with the adapter they belong to.
 */
import { AuditInputError } from '../errors.js';
import { snorkelAdapter } from '../../adapters/snorkel/index.js';
import { wandbAdapter } from '../../adapters/wandb/index.js';
import { wherobotsAdapter } from '../../adapters/wherobots/index.js';
import { applyAdapter, asInputError, type RecordOutcome, type VendorAdapter } from '../model/adapter.js';
import { isPlainRecord, type AuditEvent, type NormalizeOptions, type Vendor } from '../model/event.js';
import type { InputRecord } from '../model/record.js';
import { toOcsf } from '../model/ocsf.js';

/** Every adapter by vendor. */
export const ADAPTERS: ReadonlyMap<Vendor, VendorAdapter> = new Map<Vendor, VendorAdapter>([
  ['wandb', wandbAdapter],
  ['snorkel', snorkelAdapter],
  ['wherobots', wherobotsAdapter],
]);

/** Every envelope key any adapter uses (`audit_logs`, `items`). */
export const ENVELOPE_KEYS: ReadonlySet<string> = new Set([...ADAPTERS.values()].flatMap((a) => (a.envelopeKey ? [a.envelopeKey] : [])));

/** How senders spell the vendors in `auditkit.vendor` (case, spaces, `-`, `_` and `.` do not matter). */
const VENDOR_ALIASES: Readonly<Record<string, Vendor>> = {
  wandb: 'wandb',
  'w&b': 'wandb',
  wb: 'wandb',
  weightsandbiases: 'wandb',
  'weights&biases': 'wandb',
  snorkel: 'snorkel',
  snorkelflow: 'snorkel',
  snorkelai: 'snorkel',
  wherobots: 'wherobots',
};

/** The vendor an `auditkit.vendor` attribute names (`W&B`, `WandB`, `weights-and-biases` are all W&B), if any. */
export function vendorOf(value: unknown): Vendor | undefined {
  if (typeof value !== 'string') return undefined;
  const vendor = VENDOR_ALIASES[value.toLowerCase().replace(/[\s._-]+/g, '')];
  return vendor && ADAPTERS.has(vendor) ? vendor : undefined;
}

/**
 * What a log record is to auditkit, by its attributes (the attribute contract of src/model/otel.ts):
 * an audit event (`auditkit.id`), a raw record of a vendor auditkit reads (`auditkit.vendor`), a
 * record naming a vendor auditkit does not read (never passed on unredacted), or anything else.
 * The SDK's AuditLogProcessor and the otlp receiver's gateway both decide by it.
 */
export type AuditRecordKind = { kind: 'event' } | { kind: 'vendor'; vendor: Vendor } | { kind: 'unknown_vendor' } | { kind: 'other' };

export function auditRecordKind(attrs: Readonly<Record<string, unknown>>): AuditRecordKind {
  if (typeof attrs['auditkit.id'] === 'string') return { kind: 'event' };
  const vendor = vendorOf(attrs['auditkit.vendor']);
  if (vendor) return { kind: 'vendor', vendor };
  return attrs['auditkit.vendor'] !== undefined ? { kind: 'unknown_vendor' } : { kind: 'other' };
}

/** The error of a record that names a vendor auditkit does not read. */
export const unknownVendorError = (): AuditInputError =>
  new AuditInputError('unknown_vendor', 'auditkit.vendor names no vendor auditkit reads (wandb, snorkel, wherobots)', '');

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

/**
 * Normalizes one raw vendor record into an AuditEvent. `vendor` is `wandb`, `snorkel`,
 * `wherobots`, or `auto` to recognize the record by its fields. Deterministic: the same
 * record always gives the same event and `id`. Throws only `AuditInputError` (with a JSON
 * pointer into `raw` where one applies), whatever `raw` is.
 */
export function normalize(vendor: Vendor | 'auto', raw: unknown, options: NormalizeOptions = {}): AuditEvent {
  try {
    return normalizeUnguarded(vendor, raw, options);
  } catch (err) {
    // A Proxy, a throwing getter or a bug in an adapter must not escape as an arbitrary
    // exception (or as a thrown non-Error): report it as bad input.
    throw asInputError(err);
  }
}

function normalizeUnguarded(vendor: Vendor | 'auto', raw: unknown, options: NormalizeOptions): AuditEvent {
  const adapter = vendor === 'auto' ? (isPlainRecord(raw) ? detectAdapter(raw) : undefined) : adapterFor(vendor);
  if (!adapter) {
    if (vendor !== 'auto') throw new AuditInputError('unknown_vendor', `unknown vendor ${JSON.stringify(vendor)}`, '');
    if (!isPlainRecord(raw)) throw new AuditInputError('not_an_object', 'record must be a JSON object', '');
    throw new AuditInputError(
      'unknown_vendor',
      'record matches no vendor (W&B has action+timestamp, Snorkel event_name+event_type, Wherobots action_name)',
      '',
    );
  }
  return adapter.normalize(raw, options);
}

/** Normalizes one input record with its vendor's adapter (chosen by `from`). Never throws. */
export function normalizeRecord(rec: InputRecord, from: Vendor | 'auto', options: NormalizeOptions): RecordOutcome {
  if (rec.error) return { error: rec.error, stage: 'receive' };
  const adapter = chooseAdapter(rec, from);
  if (!adapter) {
    return {
      stage: 'normalize',
      error: isPlainRecord(rec.value)
        ? new AuditInputError(
            'unknown_vendor',
            'record matches no vendor (W&B has action+timestamp, Snorkel event_name+event_type, Wherobots action_name); use --from',
            '',
          )
        : new AuditInputError('not_an_object', 'record must be a JSON object', ''),
    };
  }
  return applyAdapter(adapter, rec, options);
}

function chooseAdapter(rec: InputRecord, from: Vendor | 'auto'): VendorAdapter | undefined {
  if (from !== 'auto') return adapterFor(from);
  if (rec.envelopeKey) return adapterForEnvelope(rec.envelopeKey);
  if (rec.format === 'csv') for (const a of ADAPTERS.values()) if (a.csvExport) return a;
  return isPlainRecord(rec.value) ? detectAdapter(rec.value) : undefined;
}

/** The OCSF 1.8.0 event of an audit event, by its vendor's mapping (src/model/ocsf.ts). */
export function ocsfEvent(event: AuditEvent): Record<string, unknown> {
  const adapter = ADAPTERS.get(event.vendor);
  if (!adapter) throw new TypeError(`no adapter for vendor ${event.vendor}`);
  return toOcsf(event, adapter.ocsf);
}
