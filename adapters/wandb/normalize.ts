import type { AuditEvent, NormalizeOptions, Resource } from '../../src/model/event.js';
import { SCHEMA_VERSION, eventId, idString, nonEmpty, unmappedDetails } from '../../src/model/event.js';
import { lowerSnake } from '../../src/model/catalog.js';
import { toUtcTime } from '../../src/model/time.js';
import { checkRecord, validateWandbRecord } from '../../src/model/validators.js';
import type { WandbAuditRecord } from '../../src/generated/types.js';
import { WANDB_ACTIONS } from './actions.js';

/** Keys the mapping places in the event; every other key goes to `details`. */
const MAPPED = new Set([
  'action', 'actor_email', 'actor_ip', 'actor_user_id', 'artifact_asset', 'artifact_digest',
  'artifact_qualified_name', 'artifact_sequence_asset', 'artifact_sequence_name', 'artifact_version_index',
  'cli_version', 'entity_asset', 'entity_name', 'project_asset', 'project_name', 'report_asset',
  'report_name', 'response_code', 'run_asset', 'timestamp', 'user_asset', 'user_email',
]);

const str = (v: string | null | undefined): string | undefined => (v === null ? undefined : v);

function resource(type: string, fields: Record<string, string | number | null | undefined>): Resource | undefined {
  const r: Resource = { type };
  let any = false;
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined) continue;
    r[k] = k === 'id' || k === 'name' ? String(v) : v;
    any = true;
  }
  return any ? r : undefined;
}

/** `response_code` as an HTTP status, or undefined when absent or not a status (then kept in details). */
function statusCode(v: string | number | null | undefined): number | undefined {
  if (v === null || v === undefined) return undefined;
  const n = typeof v === 'number' ? v : /^\d{3}$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/**
 * Maps one W&B audit log entry (NDJSON line, `audit_logs` item or bucket day-file line) to
 * an AuditEvent. W&B entries have no event id, so `id` is `wandb:sha256:<hex>` of the
 * canonical record. Throws `AuditInputError` for a record the W&B schema rejects.
 */
export function normalizeWandb(raw: unknown, options: NormalizeOptions = {}): AuditEvent {
  const rec: WandbAuditRecord = checkRecord(validateWandbRecord, raw, 'W&B audit log');
  const entry = WANDB_ACTIONS.get(rec.action);
  const status = statusCode(rec.response_code);
  const error = rec.audit_log_error;
  const failed = (error !== undefined && error !== null && error !== false && error !== '') || (status !== undefined && status >= 400);
  const resources = [
    resource('entity', { id: rec.entity_asset, name: rec.entity_name }),
    resource('project', { id: rec.project_asset, name: rec.project_name }),
    resource('artifact_sequence', { id: rec.artifact_sequence_asset, name: rec.artifact_sequence_name }),
    resource('artifact', {
      id: rec.artifact_asset,
      name: rec.artifact_qualified_name,
      digest: rec.artifact_digest,
      version_index: rec.artifact_version_index,
    }),
    resource('report', { id: rec.report_asset, name: rec.report_name }),
    resource('run', { id: rec.run_asset }),
  ].filter((r): r is Resource => r !== undefined);

  const details = unmappedDetails(rec, MAPPED) ?? {};
  // A response_code that is not an HTTP status stays in details verbatim.
  if (status === undefined && rec.response_code !== undefined && rec.response_code !== null) details.response_code = rec.response_code;

  const event: AuditEvent = {
    schema_version: SCHEMA_VERSION,
    id: eventId('wandb', undefined, raw),
    time: toUtcTime(rec.timestamp, '/timestamp'),
    vendor: 'wandb',
    action: {
      name: rec.action,
      // An action the docs do not list keeps its `<family>:` prefix as category.
      category: entry?.category ?? lowerSnake(rec.action.split(':', 1)[0] ?? rec.action),
      operation: entry?.operation ?? 'other',
    },
    outcome: {
      result: failed ? 'failure' : status !== undefined ? 'success' : 'unknown',
      ...(status !== undefined ? { status_code: status } : {}),
    },
  };
  const actor = nonEmpty({ id: idString(rec.actor_user_id), email: str(rec.actor_email), ip: str(rec.actor_ip) });
  if (actor) event.actor = actor;
  const target = nonEmpty({ id: idString(rec.user_asset), email: str(rec.user_email) });
  if (target) event.target_user = target;
  if (resources.length) event.resources = resources;
  if (rec.cli_version !== undefined && rec.cli_version !== null) event.client = { version: rec.cli_version };
  if (Object.keys(details).length) event.details = details;
  if (options.keepRaw) event.raw = raw as Record<string, unknown>;
  return event;
}

/** True when a record looks like a W&B audit log entry (for `--from auto`). */
export function looksLikeWandb(rec: Record<string, unknown>): boolean {
  return typeof rec.action === 'string' && typeof rec.timestamp === 'string';
}
