/**
 * The OpenTelemetry log record form of an AuditEvent (DESIGN.md "OTel log record mapping").
 * `toLogRecord` and `fromLogRecord` are inverses: `fromLogRecord(toLogRecord(e))` deep-equals e.
 *
 * Attribute contract (names come from the schema's `x-otel` annotations):
 * - semantic conventions where one exists: `user.id`, `user.email`, `user.name` (actor),
 *   `client.address` (actor ip), `user_agent.original`, `http.response.status_code`, `cloud.region`;
 * - everything else under `auditkit.*`; `auditkit.resources` is an array of maps, while
 *   `auditkit.details` and `auditkit.raw` are JSON text: they hold arbitrary vendor keys
 *   (`constructor`, `__proto__`) that the SDK's attribute validation would otherwise drop;
 * - `auditkit.time` keeps the event's time text, because the log Timestamp (nanoseconds) cannot
 *   say whether the source wrote `.1` or `.100` or more than nine fraction digits.
 */
import type { HrTime } from '@opentelemetry/api';
import { SeverityNumber, type AnyValue, type LogAttributes, type LogRecord } from '@opentelemetry/api-logs';
import type { AuditEvent, Resource } from './event.js';
import { hrTimeToTime, timeToHrTime } from './time.js';

export { hrTimeToTime, timeToHrTime } from './time.js';

/** EventName of every audit log record (event names carry no dynamic values). */
export const AUDIT_EVENT_NAME = 'auditkit.event';

/** Attribute names, from the `x-otel` annotations of schemas/audit-event.v1.schema.json. */
export const ATTR = {
  id: 'auditkit.id',
  vendor: 'auditkit.vendor',
  schemaVersion: 'auditkit.schema_version',
  time: 'auditkit.time',
  actionName: 'auditkit.action.name',
  actionCategory: 'auditkit.action.category',
  actionOperation: 'auditkit.action.operation',
  outcomeResult: 'auditkit.outcome.result',
  statusCode: 'http.response.status_code',
  actorId: 'user.id',
  actorEmail: 'user.email',
  actorName: 'user.name',
  actorIp: 'client.address',
  actorUserAgent: 'user_agent.original',
  actorType: 'auditkit.actor.type',
  targetUserId: 'auditkit.target_user.id',
  targetUserEmail: 'auditkit.target_user.email',
  targetUserName: 'auditkit.target_user.name',
  resources: 'auditkit.resources',
  clientVersion: 'auditkit.client.version',
  clientSource: 'auditkit.client.source',
  clientChain: 'auditkit.client.chain',
  cloudRegion: 'cloud.region',
  details: 'auditkit.details',
  raw: 'auditkit.raw',
  validationErrors: 'auditkit.validation.errors',
} as const;

/** Every attribute name the mapping owns (the processors replace exactly these). */
export const AUDIT_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(Object.values(ATTR));

/** Severity INFO for success/unknown, WARN for failure. */
export function severityOf(event: AuditEvent): { number: SeverityNumber; text: string } {
  return event.outcome.result === 'failure' ? { number: SeverityNumber.WARN, text: 'WARN' } : { number: SeverityNumber.INFO, text: 'INFO' };
}

/**
 * A one-line human summary of the event. Built from the (already redacted) event, so it never
 * carries what redaction removed.
 */
export function summarize(event: AuditEvent): string {
  const who = event.actor?.email ?? event.actor?.name ?? event.actor?.id;
  const what = event.resources?.[0];
  const on = what ? ` on ${what.type}${what.name !== undefined ? ` ${what.name}` : what.id !== undefined ? ` ${what.id}` : ''}` : '';
  return `${event.vendor} ${event.action.name}${who !== undefined ? ` by ${who}` : ''}${on}: ${event.outcome.result}`;
}

function put(attrs: LogAttributes, key: string, value: AnyValue | undefined): void {
  if (value !== undefined) attrs[key] = value;
}

/** The attributes of an event (without body or timestamps). */
export function eventAttributes(event: AuditEvent): LogAttributes {
  const a: LogAttributes = {};
  put(a, ATTR.id, event.id);
  put(a, ATTR.vendor, event.vendor);
  put(a, ATTR.schemaVersion, event.schema_version);
  put(a, ATTR.time, event.time);
  put(a, ATTR.actionName, event.action.name);
  put(a, ATTR.actionCategory, event.action.category);
  put(a, ATTR.actionOperation, event.action.operation);
  put(a, ATTR.outcomeResult, event.outcome.result);
  put(a, ATTR.statusCode, event.outcome.status_code);
  put(a, ATTR.actorId, event.actor?.id);
  put(a, ATTR.actorEmail, event.actor?.email);
  put(a, ATTR.actorName, event.actor?.name);
  put(a, ATTR.actorIp, event.actor?.ip);
  put(a, ATTR.actorUserAgent, event.actor?.user_agent);
  put(a, ATTR.actorType, event.actor?.type);
  put(a, ATTR.targetUserId, event.target_user?.id);
  put(a, ATTR.targetUserEmail, event.target_user?.email);
  put(a, ATTR.targetUserName, event.target_user?.name);
  if (event.resources) a[ATTR.resources] = event.resources.map((r) => ({ ...r }));
  put(a, ATTR.clientVersion, event.client?.version);
  put(a, ATTR.clientSource, event.client?.source);
  put(a, ATTR.clientChain, event.client?.chain);
  put(a, ATTR.cloudRegion, event.cloud?.region);
  if (event.details !== undefined) a[ATTR.details] = JSON.stringify(event.details);
  if (event.raw !== undefined) a[ATTR.raw] = JSON.stringify(event.raw);
  return a;
}

/** Options of `toLogRecord`. */
export interface ToLogRecordOptions {
  /** ObservedTimestamp: when the event was processed. Default: now. */
  observedAt?: HrTime;
}

/** The log record an event is carried in (pass it to `logger.emit`). */
export function toLogRecord(
  event: AuditEvent,
  options: ToLogRecordOptions = {},
): LogRecord & { timestamp: HrTime; attributes: LogAttributes } {
  const severity = severityOf(event);
  const now = Date.now();
  return {
    eventName: AUDIT_EVENT_NAME,
    timestamp: timeToHrTime(event.time),
    observedTimestamp: options.observedAt ?? [Math.floor(now / 1000), (now % 1000) * 1e6],
    severityNumber: severity.number,
    severityText: severity.text,
    body: summarize(event),
    attributes: eventAttributes(event),
  };
}

/** What `fromLogRecord` reads: an API LogRecord, an SDK ReadableLogRecord, or a decoded OTLP record. */
export interface LogRecordLike {
  attributes?: LogAttributes;
  timestamp?: unknown;
  hrTime?: HrTime;
}

const str = (v: AnyValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function compact<T extends object>(obj: T): T | undefined {
  let any = false;
  for (const k of Object.keys(obj) as (keyof T)[]) {
    if (obj[k] === undefined) delete obj[k];
    else any = true;
  }
  return any ? obj : undefined;
}

/**
 * Rebuilds the AuditEvent from its log record. Returns undefined when the record carries no
 * audit event (no `auditkit.id`). The caller validates the result.
 */
export function fromLogRecord(record: LogRecordLike): AuditEvent | undefined {
  const a = record.attributes ?? {};
  const id = str(a[ATTR.id]);
  if (id === undefined) return undefined;
  let time = str(a[ATTR.time]);
  if (time === undefined) {
    const hr = record.hrTime ?? (Array.isArray(record.timestamp) ? (record.timestamp as HrTime) : undefined);
    if (hr) time = hrTimeToTime(hr);
  }
  const status = a[ATTR.statusCode];
  const event = {
    schema_version: str(a[ATTR.schemaVersion]),
    id,
    time,
    vendor: str(a[ATTR.vendor]),
    action: { name: str(a[ATTR.actionName]), category: str(a[ATTR.actionCategory]), operation: str(a[ATTR.actionOperation]) },
    outcome: compact({
      result: str(a[ATTR.outcomeResult]),
      status_code: typeof status === 'number' ? status : typeof status === 'string' && /^\d+$/.test(status) ? Number(status) : undefined,
    }),
  } as unknown as AuditEvent;
  const actor = compact({
    id: str(a[ATTR.actorId]),
    email: str(a[ATTR.actorEmail]),
    name: str(a[ATTR.actorName]),
    ip: str(a[ATTR.actorIp]),
    user_agent: str(a[ATTR.actorUserAgent]),
    type: str(a[ATTR.actorType]),
  });
  if (actor) event.actor = actor;
  const target = compact({ id: str(a[ATTR.targetUserId]), email: str(a[ATTR.targetUserEmail]), name: str(a[ATTR.targetUserName]) });
  if (target) event.target_user = target;
  const resources = a[ATTR.resources];
  if (Array.isArray(resources)) event.resources = resources.map((r) => ({ ...(r as object) }) as Resource);
  const client = compact({ version: str(a[ATTR.clientVersion]), source: str(a[ATTR.clientSource]), chain: str(a[ATTR.clientChain]) });
  if (client) event.client = client;
  const region = str(a[ATTR.cloudRegion]);
  if (region !== undefined) event.cloud = { region };
  const details = str(a[ATTR.details]);
  if (details !== undefined) event.details = JSON.parse(details) as Record<string, unknown>;
  const raw = str(a[ATTR.raw]);
  if (raw !== undefined) event.raw = JSON.parse(raw) as Record<string, unknown>;
  return event;
}
