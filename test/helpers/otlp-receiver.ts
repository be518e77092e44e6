/**
 * A real OTLP/HTTP logs receiver on 127.0.0.1 (ephemeral port) for tests: it gunzips, decodes
 * protobuf with protobufjs and the official OTLP definitions in proto/opentelemetry-proto
 * (independent of the exporter's own encoder), or parses JSON, and keeps every request and record.
 * `failNext` makes it answer errors (503, 429 with Retry-After) to test retries.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { ROOT } from './golden.js';

// The official definitions (opentelemetry-proto v1.7.0, committed with their licence).
const PROTO_DIR = path.join(ROOT, 'proto/opentelemetry-proto');
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto');
const Request = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
const Response = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');

/** A decoded record, normalized across JSON and protobuf. */
export interface ReceivedRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  eventName: string;
  body: unknown;
  attributes: Record<string, unknown>;
  droppedAttributesCount: number;
  /** The resource's attributes and the scope of the record's ResourceLogs / ScopeLogs. */
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
}

export interface ReceivedRequest {
  contentType: string;
  contentEncoding: string | undefined;
  headers: IncomingMessage['headers'];
  /** The bytes as sent (possibly gzip). */
  raw: Buffer;
  /** The decompressed body. */
  body: Buffer;
  records: ReceivedRecord[];
}

/** OTLP AnyValue (JSON or protobufjs object form) -> plain JS. */
function anyValue(v: Record<string, unknown> | undefined): unknown {
  if (!v) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(String(v.intValue));
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return ((v.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(anyValue);
  if ('kvlistValue' in v) return kvs((v.kvlistValue as { values?: Record<string, unknown>[] }).values);
  if ('bytesValue' in v) return v.bytesValue;
  return null;
}

function kvs(list: Record<string, unknown>[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? [])
    Object.defineProperty(out, kv.key as string, { value: anyValue(kv.value as Record<string, unknown>), enumerable: true });
  return out;
}

export function decode(contentType: string, body: Buffer): ReceivedRecord[] {
  const msg: Record<string, unknown> = contentType.includes('json')
    ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>)
    : Request.toObject(Request.decode(body), { longs: String, bytes: String, defaults: false, oneofs: false });
  const out: ReceivedRecord[] = [];
  for (const rl of (msg.resourceLogs as Record<string, unknown>[] | undefined) ?? []) {
    const resource = kvs((rl.resource as { attributes?: Record<string, unknown>[] } | undefined)?.attributes);
    for (const sl of (rl.scopeLogs as Record<string, unknown>[] | undefined) ?? []) {
      const sc = (sl.scope as { name?: string; version?: string } | undefined) ?? {};
      const scope = { name: sc.name ?? '', version: sc.version ?? '' };
      for (const lr of (sl.logRecords as Record<string, unknown>[] | undefined) ?? []) {
        out.push({
          timeUnixNano: String(lr.timeUnixNano),
          observedTimeUnixNano: String(lr.observedTimeUnixNano),
          severityNumber: Number(lr.severityNumber),
          severityText: (lr.severityText as string | undefined) ?? '',
          eventName: (lr.eventName as string | undefined) ?? '',
          body: anyValue(lr.body as Record<string, unknown>),
          attributes: kvs(lr.attributes as Record<string, unknown>[]),
          droppedAttributesCount: Number(lr.droppedAttributesCount ?? 0),
          resource,
          scope,
        });
      }
    }
  }
  return out;
}

export class OtlpReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Responses to give before answering normally: status code and optional Retry-After seconds. */
  failNext: { status: number; retryAfter?: number }[] = [];
  /** Reject this many records per request with a partial-success response. */
  rejectPerRequest = 0;
  /** The path it accepts (`/v1/logs`); any other is answered 404 and kept in `otherPaths`. */
  path = '/v1/logs';
  readonly otherPaths: string[] = [];
  /** Answer this long after a request arrived (a slow backend). */
  delayMillis = 0;
  private server: Server | undefined;
  url = '';

  get records(): ReceivedRecord[] {
    return this.requests.flatMap((r) => r.records);
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void setTimeout(answer, this.delayMillis));
      const answer = (): void => {
        if (res.destroyed) return;
        const fail = this.failNext.shift();
        if (fail) {
          res.writeHead(fail.status, fail.retryAfter !== undefined ? { 'retry-after': String(fail.retryAfter) } : {});
          res.end();
          return;
        }
        if (req.method !== 'POST' || req.url !== this.path) {
          this.otherPaths.push(req.url ?? '');
          res.writeHead(404);
          res.end();
          return;
        }
        const raw = Buffer.concat(chunks);
        const encoding = req.headers['content-encoding'];
        const body = encoding === 'gzip' ? gunzipSync(raw) : raw;
        const contentType = req.headers['content-type'] ?? '';
        let records: ReceivedRecord[];
        try {
          records = decode(contentType, body);
        } catch (err) {
          res.writeHead(400);
          res.end(String(err));
          return;
        }
        this.requests.push({ contentType, contentEncoding: encoding, headers: req.headers, raw, body, records });
        const partial = this.rejectPerRequest
          ? { partialSuccess: { rejectedLogRecords: this.rejectPerRequest, errorMessage: 'rejected by test' } }
          : {};
        if (contentType.includes('json')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(partial));
        } else {
          res.writeHead(200, { 'content-type': 'application/x-protobuf' });
          res.end(Buffer.from(Response.encode(Response.fromObject(partial)).finish()));
        }
      };
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** A loopback port that nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
