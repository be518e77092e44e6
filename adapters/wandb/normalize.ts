import type { AuditEvent, NormalizeOptions, Resource } from '../../src/model/event.js';
import { SCHEMA_VERSION, eventId, idString, nonEmpty, unmappedDetails } from '../../src/model/event.js';
import { lowerSnake } from '../../src/model/catalog.js';
import { toUtcTime } from '../../src/model/time.js';
import { checkRecord, validateWandbRecord } from '../../src/model/validators.js';
import type { WandbAuditRecord } from '../../src/generated/types.js';
import { WANDB_ACTIONS } from './actions.js';

/** Keys the mapping places in the event; every other key goes to `details`. */
const MAPPED = new Set([
  'action',
  'actor_email',
  'actor_ip',
  'actor_user_id',
  'artifact_asset',
  'artifact_digest',
  'artifact_qualified_name',
  'artifact_sequence_asset',
  'artifact_sequence_name',
  'artifact_version_index',
  'cli_version',
  'entity_asset',
  'entity_name',
  'project_asset',
  'project_name',
  'report_asset',
  'report_name',
  'response_code',
  'run_asset',
  'timestamp',
  'user_asset',
  'user_email',
]);

const str = (v: string | null | undefined): string | undefined => (v === null ? undefined : v);

/** A resource from an id and a name (either may be absent); undefined when both are. */
function resource(type: string, id: string | number | null | undefined, name: string | null | undefined): Resource | undefined {
  const hasId = id !== null && id !== undefined;
  const hasName = name !== null && name !== undefined;
  if (!hasId && !hasName) return undefined;
  const r: Resource = { type };
  if (hasId) r.id = String(id);
  if (hasName) r.name = name;
  return r;
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
  const resources: Resource[] = [];
  const push = (r: Resource | undefined): void => {
    if (r) resources.push(r);
  };
  push(resource('entity', rec.entity_asset, rec.entity_name));
  push(resource('project', rec.project_asset, rec.project_name));
  push(resource('artifact_sequence', rec.artifact_sequence_asset, rec.artifact_sequence_name));
  let artifact = resource('artifact', rec.artifact_asset, rec.artifact_qualified_name);
  const digest = rec.artifact_digest ?? undefined;
  const versionIndex = rec.artifact_version_index ?? undefined;
  if (!artifact && (digest !== undefined || versionIndex !== undefined)) artifact = { type: 'artifact' };
  if (artifact && digest !== undefined) artifact.digest = digest;
  if (artifact && versionIndex !== undefined) artifact.version_index = versionIndex;
  push(artifact);
  push(resource('report', rec.report_asset, rec.report_name));
  push(resource('run', rec.run_asset, undefined));

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
