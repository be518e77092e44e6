/**
 * OTLP log records on the wire, for the `otlp` receiver and the OTLP exporters of `auditkit run`:
 * `ExportLogsServiceRequest`s decoded (protobuf or OTLP/JSON) with protobufjs and the official
 * definitions in proto/opentelemetry-proto, flattened into one item per record (its resource and
 * scope shared by reference), and encoded back. A record that passes through is re-encoded from
 * what was decoded, so every field and value type (int or double, 64-bit integers, bytes) stays
 * as its sender wrote it; fields the v1.7.0 definitions do not know are not carried.
 */
import path from 'node:path';
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import { createRequire } from 'node:module';
import type { IConversionOptions, Root, Type } from 'protobufjs';
import type { AuditEvent } from './event.js';
import { PACKAGE_ROOT } from './version.js';

export interface WireAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  /** int64, as its decimal text (exact). */
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: WireAnyValue[] };
  kvlistValue?: { values?: WireKeyValue[] };
  bytesValue?: Uint8Array;
}

export interface WireKeyValue {
  key: string;
  value?: WireAnyValue;
}

export interface WireLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: WireAnyValue;
  attributes?: WireKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  eventName?: string;
}

/** A ResourceLogs' resource (attributes, dropped count, entity refs) and schema URL. */
export interface WireResource {
  resource?: { attributes?: WireKeyValue[]; droppedAttributesCount?: number; [field: string]: unknown };
  schemaUrl?: string;
}

/** A ScopeLogs' scope and schema URL. */
export interface WireScope {
  scope?: { name?: string; version?: string; attributes?: WireKeyValue[]; droppedAttributesCount?: number };
  schemaUrl?: string;
}

/** One log record with its resource and scope (shared by the records of one ResourceLogs / ScopeLogs). */
export interface WireItem {
  resource: WireResource;
  scope: WireScope;
  record: WireLogRecord;
  /** The audit event the record carries, once the receiver or a processor has read it. */
  event?: AuditEvent;
}

let types: { request: Type; response: Type } | undefined;

/** The ExportLogsService request and response types (protobufjs and the protos loaded once, on first use: the SDK path never loads them). */
export function otlpTypes(): { request: Type; response: Type } {
  if (!types) {
    const dir = path.join(PACKAGE_ROOT, 'proto/opentelemetry-proto');
    const { Root: RootClass } = createRequire(import.meta.url)('protobufjs') as { Root: new () => Root };
    const root = new RootClass();
    root.resolvePath = (_origin, target) => path.join(dir, target);
    root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto');
    types = {
      request: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
      response: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    };
  }
  return types;
}

const OBJECT_OPTIONS: IConversionOptions = { longs: String, enums: Number, bytes: Buffer };

interface WireRequest {
  resourceLogs?: {
    resource?: WireResource['resource'];
    schemaUrl?: string;
    scopeLogs?: { scope?: WireScope['scope']; schemaUrl?: string; logRecords?: WireLogRecord[] }[];
  }[];
}

function flatten(request: WireRequest): WireItem[] {
  const items: WireItem[] = [];
  for (const rl of request.resourceLogs ?? []) {
    const resource: WireResource = {
      ...(rl.resource ? { resource: rl.resource } : {}),
      ...(rl.schemaUrl ? { schemaUrl: rl.schemaUrl } : {}),
    };
    for (const sl of rl.scopeLogs ?? []) {
      const scope: WireScope = { ...(sl.scope ? { scope: sl.scope } : {}), ...(sl.schemaUrl ? { schemaUrl: sl.schemaUrl } : {}) };
      for (const record of sl.logRecords ?? []) items.push({ resource, scope, record });
    }
  }
  return items;
}

/** Hex trace and span ids of OTLP/JSON as bytes (throws on a malformed id). */
function hexIds(json: unknown): unknown {
  const req = json as WireRequest & Record<string, unknown>;
  for (const rl of req.resourceLogs ?? [])
    for (const sl of rl.scopeLogs ?? [])
      for (const r of (sl.logRecords ?? []) as Record<string, unknown>[]) {
        for (const [field, len] of [
          ['traceId', 16],
          ['spanId', 8],
        ] as const) {
          const v = r[field];
          if (v === undefined || v === '') continue;
          if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${len * 2}}$`).test(v))
            throw new TypeError(`${field} must be ${len * 2} hex digits`);
          r[field] = Buffer.from(v, 'hex').toString('base64');
        }
      }
  return json;
}

/** The records of an ExportLogsServiceRequest (protobuf bytes or OTLP/JSON text); throws on a malformed body. */
export function decodeRequest(body: Uint8Array, encoding: 'protobuf' | 'json'): WireItem[] {
  const { request } = otlpTypes();
  const message =
    encoding === 'protobuf'
      ? request.decode(body)
      : request.fromObject(hexIds(JSON.parse(Buffer.from(body).toString('utf8'))) as Record<string, unknown>);
  return flatten(request.toObject(message, OBJECT_OPTIONS));
}

/** Items grouped back into ResourceLogs / ScopeLogs (by the identity of their resource and scope). */
function group(items: readonly WireItem[]): WireRequest {
  const resources = new Map<WireResource, Map<WireScope, WireLogRecord[]>>();
  for (const it of items) {
    let scopes = resources.get(it.resource);
    if (!scopes) resources.set(it.resource, (scopes = new Map<WireScope, WireLogRecord[]>()));
    let records = scopes.get(it.scope);
    if (!records) scopes.set(it.scope, (records = []));
    records.push(it.record);
  }
  return {
    resourceLogs: [...resources].map(([r, scopes]) => ({
      ...r,
      scopeLogs: [...scopes].map(([s, logRecords]) => ({ ...s, logRecords })),
    })),
  };
}

/** An ExportLogsServiceRequest of the items, as protobuf bytes. */
export function encodeRequest(items: readonly WireItem[]): Uint8Array {
  const { request } = otlpTypes();
  return request.encode(request.fromObject(group(items))).finish();
}

/** An ExportLogsServiceRequest of the items, as OTLP/JSON text (ids in hex, 64-bit integers as strings). */
export function encodeRequestJson(items: readonly WireItem[]): string {
  const { request } = otlpTypes();
  const obj = request.toObject(request.fromObject(group(items)), {
    longs: String,
    enums: Number,
    bytes: String,
  }) as WireRequest;
  for (const rl of obj.resourceLogs ?? [])
    for (const sl of rl.scopeLogs ?? [])
      for (const r of (sl.logRecords ?? []) as Record<string, unknown>[])
        for (const f of ['traceId', 'spanId'])
          if (typeof r[f] === 'string') r[f] = r[f] === '' ? '' : Buffer.from(r[f], 'base64').toString('hex');
  return JSON.stringify(obj);
}

/** ExportLogsServiceResponse: partial success when some records were rejected. */
export function encodeResponse(rejected: number, message: string, encoding: 'protobuf' | 'json'): Uint8Array {
  const body = rejected > 0 || message ? { partialSuccess: { rejectedLogRecords: rejected, errorMessage: message } } : {};
  if (encoding === 'json')
    return Buffer.from(
      JSON.stringify(rejected > 0 || message ? { partialSuccess: { rejectedLogRecords: String(rejected), errorMessage: message } } : {}),
    );
  const { response } = otlpTypes();
  return response.encode(response.fromObject(body)).finish();
}

/** The response of a server (partial success, if any). */
export function decodeResponse(body: Uint8Array): { rejected: number; message: string } {
  const { response } = otlpTypes();
  const obj = response.toObject(response.decode(body), { longs: String }) as {
    partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string };
  };
  return { rejected: Number(obj.partialSuccess?.rejectedLogRecords ?? 0), message: obj.partialSuccess?.errorMessage ?? '' };
}

// ---------------------------------------------------------------------------------------------
// Values

/** A wire value as a JS value (attributes API form). 64-bit integers beyond 2^53 become their text. */
export function toJs(v: WireAnyValue | undefined): AnyValue {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : v.intValue;
  }
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.bytesValue !== undefined) return new Uint8Array(v.bytesValue);
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(toJs);
  if (v.kvlistValue !== undefined) return kvsToJs(v.kvlistValue.values);
  return null;
}

/** Key-values as an object (`__proto__` stays data). */
export function kvsToJs(kvs: readonly WireKeyValue[] | undefined): Record<string, AnyValue> {
  const out: Record<string, AnyValue> = {};
  for (const kv of kvs ?? [])
    Object.defineProperty(out, kv.key, { value: toJs(kv.value), enumerable: true, writable: true, configurable: true });
  return out;
}

/** A JS value on the wire (integers as intValue, as the SDK writes them). */
export function toWire(v: AnyValue | undefined): WireAnyValue {
  if (v === null || v === undefined) return {};
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (v instanceof Uint8Array) return { bytesValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => toWire(x)) } };
  return { kvlistValue: { values: jsToKvs(v) } };
}

export function jsToKvs(obj: Record<string, AnyValue> | LogAttributes): WireKeyValue[] {
  return Object.entries(obj).map(([key, value]) => ({ key, value: toWire(value) }));
}

/**
 * Applies `change` to key-values through their JS form: a key whose value `change` left alone
 * keeps its wire value exactly (its type, its 64-bit digits); changed and new keys are encoded.
 */
export function editKvs(kvs: readonly WireKeyValue[] | undefined, change: (attrs: LogAttributes) => void): WireKeyValue[] {
  const js: LogAttributes = {};
  const before = new Map<string, { js: AnyValue; kv: WireKeyValue }>();
  for (const kv of kvs ?? []) {
    const v = toJs(kv.value);
    Object.defineProperty(js, kv.key, { value: v, enumerable: true, writable: true, configurable: true });
    before.set(kv.key, { js: v, kv });
  }
  change(js);
  return Object.entries(js).map(([key, value]) => {
    const b = before.get(key);
    return b && b.js === value ? b.kv : { key, value: toWire(value) };
  });
}

/** Structural equality of JS values (for keeping a body that redaction did not change). */
export function sameJs(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJs(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => Object.hasOwn(b, k) && sameJs((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** A record's attributes as JS (read-only view for classification). */
export const attributesOf = (r: WireLogRecord): Record<string, AnyValue> => kvsToJs(r.attributes);

/** Nanoseconds since the epoch (decimal text) from an HrTime. */
export const hrTimeToNanos = (hr: readonly [number, number]): string => (BigInt(hr[0]) * 1_000_000_000n + BigInt(hr[1])).toString();

/** An HrTime from nanoseconds since the epoch (decimal text). */
export function nanosToHrTime(nanos: string | undefined): [number, number] {
  const n = BigInt(nanos ?? '0');
  return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
}
