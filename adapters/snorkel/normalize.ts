import type { AuditEvent, NormalizeOptions } from '../../src/model/event.js';
import { SCHEMA_VERSION, eventId, idString, unmappedDetails } from '../../src/model/event.js';
import { lowerSnake, operationFromVerb, type ActionCatalog } from '../../src/model/catalog.js';
import { toUtcTime } from '../../src/model/time.js';
import { checkRecord, validateSnorkelRecord } from '../../src/model/validators.js';
import type { SnorkelAuditRecord } from '../../src/generated/types.js';
import { SNORKEL_ACTIONS } from './actions.js';

const MAPPED = new Set(['event_id', 'event_time', 'event_name', 'event_type', 'event_details', 'user_uid']);

/** Snorkel options: `extraActions` adds or overrides catalog entries (unconfirmed literals). */
export interface SnorkelNormalizeOptions extends NormalizeOptions {
  extraActions?: ActionCatalog;
}

/**
 * Maps one Snorkel Flow audit log entry to an AuditEvent. `event_time` has no zone and is
 * read as UTC with its microseconds kept; `event_details` is kept whole in
 * `details.event_details`. Snorkel records carry no outcome, so `outcome.result` is `unknown`.
 */
export function normalizeSnorkel(raw: unknown, options: SnorkelNormalizeOptions = {}): AuditEvent {
  const rec: SnorkelAuditRecord = checkRecord(validateSnorkelRecord, raw, 'Snorkel Flow audit log');
  const name = `${rec.event_name}:${rec.event_type}`;
  const entry = options.extraActions?.get(name) ?? SNORKEL_ACTIONS.get(name);
  const event: AuditEvent = {
    schema_version: SCHEMA_VERSION,
    id: eventId('snorkel', idString(rec.event_id), raw),
    time: toUtcTime(rec.event_time, '/event_time'),
    vendor: 'snorkel',
    action: {
      name,
      // event_name "usually points to the resource", event_type is "create/read/update/delete".
      category: entry?.category ?? lowerSnake(rec.event_name),
      operation: entry?.operation ?? operationFromVerb(rec.event_type),
    },
    outcome: { result: 'unknown' },
  };
  const uid = idString(rec.user_uid);
  if (uid !== undefined) event.actor = { id: uid };
  const details = unmappedDetails(rec, MAPPED) ?? {};
  if (rec.event_details !== undefined && rec.event_details !== null) details.event_details = rec.event_details;
  // An empty event_id cannot be the id (the hash is used), but it is still kept.
  if (rec.event_id === '') details.event_id = '';
  if (Object.keys(details).length) event.details = details;
  if (options.keepRaw) event.raw = raw as Record<string, unknown>;
  return event;
}

/** True when a record looks like a Snorkel Flow audit log entry (for `--from auto`). */
export function looksLikeSnorkel(rec: Record<string, unknown>): boolean {
  return typeof rec.event_name === 'string' && typeof rec.event_type === 'string';
}
