/**
 * A test OTLP client: builds ExportLogsServiceRequests with protobufjs and the official
 * definitions in proto/opentelemetry-proto (independent of auditkit's own encoder), posts them
 * as protobuf or JSON (optionally gzip), and decodes the answer's partial success.
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { ROOT } from './golden.js';

const PROTO_DIR = path.join(ROOT, 'proto/opentelemetry-proto');
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto');
export const RequestType = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
const ResponseType = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');

/** A plain JS value as an OTLP AnyValue (JSON form; numbers: integers as intValue). */
export function anyValue(v: unknown): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if (v && typeof v === 'object') return { kvlistValue: { values: kvs(v as Record<string, unknown>) } };
  return {};
}
export const kvs = (o: Record<string, unknown>): Record<string, unknown>[] =>
  Object.entries(o).map(([key, value]) => ({ key, value: anyValue(value) }));

/** One record in the JSON form protobufjs reads. */
export const logRecord = (
  attributes: Record<string, unknown>,
  body?: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  timeUnixNano: '1785542400000000000',
  severityNumber: 9,
  attributes: kvs(attributes),
  ...(body !== undefined ? { body: anyValue(body) } : {}),
  ...extra,
});

/** A request object: one resource, one scope. */
export const request = (
  records: Record<string, unknown>[],
  resource: Record<string, unknown> = { 'service.name': 'sender' },
): Record<string, unknown> => ({
  resourceLogs: [
    { resource: { attributes: kvs(resource) }, scopeLogs: [{ scope: { name: 'test-client', version: '1' }, logRecords: records }] },
  ],
});

export const encode = (req: Record<string, unknown>): Buffer => Buffer.from(RequestType.encode(RequestType.fromObject(req)).finish());

export interface PostResult {
  status: number;
  rejected: number;
  message: string;
  body: Buffer;
}

/** Posts a request; decodes the partial success of a 200. */
export async function post(
  url: string,
  req: Record<string, unknown> | Buffer,
  o: { json?: boolean; gzip?: boolean; headers?: Record<string, string> } = {},
): Promise<PostResult> {
  let body: Buffer = Buffer.isBuffer(req) ? req : o.json ? Buffer.from(JSON.stringify(req)) : encode(req);
  const headers: Record<string, string> = { 'content-type': o.json ? 'application/json' : 'application/x-protobuf', ...(o.headers ?? {}) };
  if (o.gzip) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  const out = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) return { status: res.status, rejected: 0, message: '', body: out };
  if (o.json) {
    const j = (out.length ? JSON.parse(out.toString('utf8')) : {}) as {
      partialSuccess?: { rejectedLogRecords?: string | number; errorMessage?: string };
    };
    return {
      status: 200,
      rejected: Number(j.partialSuccess?.rejectedLogRecords ?? 0),
      message: j.partialSuccess?.errorMessage ?? '',
      body: out,
    };
  }
  const r = ResponseType.toObject(ResponseType.decode(out), { longs: String }) as {
    partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string };
  };
  return {
    status: 200,
    rejected: Number(r.partialSuccess?.rejectedLogRecords ?? 0),
    message: r.partialSuccess?.errorMessage ?? '',
    body: out,
  };
}
