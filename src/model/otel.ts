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
import { isIP } from 'node:net';
import { hrTimeToTime, nowHrTime, timeToHrTime } from './time.js';

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
  /** An actor e-mail that is an e-mail address. */
  actorEmail: 'user.email',
  /** A hashed actor e-mail (`hmac-sha256:<key id>:<hex>`): semconv's `user.hash`. */
  actorHash: 'user.hash',
  /** An actor e-mail that is neither (masked): not a `user.email`. */
  actorEmailOther: 'auditkit.actor.email',
  /** An actor name as the vendor wrote it. */
  actorName: 'user.name',
  /** A masked or hashed actor name. */
  actorNameOther: 'auditkit.actor.name',
  /** An actor IP that is an address. */
  actorIp: 'client.address',
  /** An actor IP that is not an address any more (a truncated network such as `203.0.113.0/24`, a mask). */
  actorIpOther: 'auditkit.actor.ip',
  actorUserAgent: 'user_agent.original',
  actorType: 'auditkit.actor.type',
  targetUserId: 'auditkit.target_user.id',
  targetUserEmail: 'auditkit.target_user.email',
  targetUserName: 'auditkit.target_user.name',
  resources: 'auditkit.resources',
  clientVersion: 'auditkit.client.version',
  clientSource: 'auditkit.client.source',
  clientChain: 'auditkit.client.chain',
  /** The vendor's region text, always (`aws-us-west-2`): what the event holds. */
  cloudRegionText: 'auditkit.cloud.region',
  /** The provider's own region id, where the vendor's text allows (`us-west-2`). */
  cloudRegion: 'cloud.region',
  /** `aws`, `gcp` or `azure`, where the vendor's region text names it. */
  cloudProvider: 'cloud.provider',
  /** On failures: the HTTP status code as text, else `_OTHER` (semconv `error.type`). */
  errorType: 'error.type',
  details: 'auditkit.details',
  raw: 'auditkit.raw',
  validationErrors: 'auditkit.validation.errors',
} as const;

/** `hmac-sha256:<key id>:<hex>`, what hash mode writes. */
const HASHED = /^hmac-sha256:[^:]*:[0-9a-f]{64}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
/** A name made only of mask characters (`****`, the default mask) is not a name. */
const MASKED = /^\*+$/;
/** `aws-us-west-2`, `gcp-europe-west4`, `azure-eastus2`: provider and the provider's own region id. */
const PROVIDER_REGION = /^(aws|gcp|azure)-([a-z0-9-]+)$/;
/** A provider's region id as it writes them (`us-west-2`, `europe-west4`, `eastus2`). */
const REGION_ID = /^(?=[a-z0-9-]*\d)[a-z]{2,}(?:-[a-z0-9]+)*$/;

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
  if (event.outcome.result === 'failure')
    put(a, ATTR.errorType, event.outcome.status_code !== undefined ? String(event.outcome.status_code) : '_OTHER');
  put(a, ATTR.actorId, event.actor?.id);
  // A semconv attribute only when the value has its meaning: an e-mail in user.email, a hash in
  // user.hash, an address in client.address; redacted forms go to auditkit.actor.*.
  const email = event.actor?.email;
  if (email !== undefined) put(a, HASHED.test(email) ? ATTR.actorHash : EMAIL.test(email) ? ATTR.actorEmail : ATTR.actorEmailOther, email);
  const name = event.actor?.name;
  if (name !== undefined) put(a, HASHED.test(name) || MASKED.test(name) ? ATTR.actorNameOther : ATTR.actorName, name);
  const ip = event.actor?.ip;
  if (ip !== undefined) put(a, isIP(ip) ? ATTR.actorIp : ATTR.actorIpOther, ip);
  put(a, ATTR.actorUserAgent, event.actor?.user_agent);
  put(a, ATTR.actorType, event.actor?.type);
  put(a, ATTR.targetUserId, event.target_user?.id);
  put(a, ATTR.targetUserEmail, event.target_user?.email);
  put(a, ATTR.targetUserName, event.target_user?.name);
  if (event.resources) a[ATTR.resources] = event.resources.map((r) => ({ ...r }));
  put(a, ATTR.clientVersion, event.client?.version);
  put(a, ATTR.clientSource, event.client?.source);
  put(a, ATTR.clientChain, event.client?.chain);
  const region = event.cloud?.region;
  if (region !== undefined) {
    put(a, ATTR.cloudRegionText, region);
    const m = PROVIDER_REGION.exec(region);
    if (m) {
      put(a, ATTR.cloudProvider, m[1]);
      put(a, ATTR.cloudRegion, m[2]);
    } else if (REGION_ID.test(region)) put(a, ATTR.cloudRegion, region);
  }
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
  return {
    eventName: AUDIT_EVENT_NAME,
    timestamp: timeToHrTime(event.time),
    observedTimestamp: options.observedAt ?? nowHrTime(),
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
/** The first of the attributes that holds a string. */
const first = (a: LogAttributes, ...keys: string[]): string | undefined => {
  for (const k of keys) {
    const v = str(a[k]);
    if (v !== undefined) return v;
  }
  return undefined;
};

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
    email: first(a, ATTR.actorEmail, ATTR.actorHash, ATTR.actorEmailOther),
    name: first(a, ATTR.actorName, ATTR.actorNameOther),
    ip: first(a, ATTR.actorIp, ATTR.actorIpOther),
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
  // The vendor's text; a record from elsewhere may have only the semconv region.
  const region = first(a, ATTR.cloudRegionText, ATTR.cloudRegion);
  if (region !== undefined) event.cloud = { region };
  const details = str(a[ATTR.details]);
  if (details !== undefined) event.details = JSON.parse(details) as Record<string, unknown>;
  const raw = str(a[ATTR.raw]);
  if (raw !== undefined) event.raw = JSON.parse(raw) as Record<string, unknown>;
  return event;
}
