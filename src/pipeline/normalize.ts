import { AuditInputError } from '../errors.js';
import type { AuditEvent, NormalizeOptions, Vendor } from '../model/event.js';
import { isPlainRecord } from '../model/event.js';
import { adapterFor, detectAdapter } from './registry.js';

/**
 * Normalizes one raw vendor record into an AuditEvent. `vendor` is `wandb`, `snorkel`,
 * `wherobots`, or `auto` to recognize the record by its fields. Deterministic: the same
 * record always gives the same event and `id`. Throws only `AuditInputError` (with a JSON
 * pointer into `raw` where one applies), whatever `raw` is.
 */
export function normalize(vendor: Vendor | 'auto', raw: unknown, options: NormalizeOptions = {}): AuditEvent {
  const adapter = vendor === 'auto' ? (isPlainRecord(raw) ? detectAdapter(raw) : undefined) : adapterFor(vendor);
  if (!adapter) {
    if (vendor !== 'auto') throw new AuditInputError('unknown_vendor', `unknown vendor ${JSON.stringify(vendor)}`, '');
    if (!isPlainRecord(raw)) throw new AuditInputError('not_an_object', 'record must be a JSON object', '');
    throw new AuditInputError('unknown_vendor', 'record matches no vendor (W&B has action+timestamp, Snorkel event_name+event_type, Wherobots action_name)', '');
  }
  try {
    return adapter.normalize(raw, options);
  } catch (err) {
    if (err instanceof AuditInputError) throw err;
    // A bug in an adapter must not escape as an arbitrary exception: report it as bad input.
    throw new AuditInputError('schema_violation', `cannot normalize record: ${err instanceof Error ? err.message : String(err)}`, '', { cause: err });
  }
}
