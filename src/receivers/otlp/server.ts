/**
 * The `otlp` receiver's servers: OTLP/HTTP (`POST /v1/logs`, protobuf or JSON, gzip, a body
 * limit) on node:http and OTLP/gRPC (`LogsService/Export`) on @grpc/grpc-js, both decoding with
 * the official definitions (src/model/otlp-wire.ts) and handing each request's records to the
 * runtime, which answers once every exporter holds them:
 *
 * | outcome | HTTP | gRPC |
 * |---|---|---|
 * | all accepted | 200, empty ExportLogsServiceResponse | OK |
 * | some rejected | 200, `partial_success` (rejected count, message) | OK, `partial_success` |
 * | malformed body | 400 | INVALID_ARGUMENT |
 * | wrong or missing credentials | 401 | UNAUTHENTICATED |
 * | body too large (sent or decompressed) | 413 | RESOURCE_EXHAUSTED |
 * | unsupported content type or encoding | 415 | — |
 * | an exporter could not take the records | 503 (retryable; nothing was acknowledged) | UNAVAILABLE |
 *
 * Error bodies are google.rpc.Status (protobuf or JSON, as the request) and never echo a
 * credential.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createGunzip } from 'node:zlib';
import protobuf from 'protobufjs';
import { decodeRequest, encodeResponse, type WireItem } from '../../model/otlp-wire.js';
import {
  DEFAULT_GRPC_ENDPOINT,
  DEFAULT_HTTP_ENDPOINT,
  DEFAULT_LOGS_URL_PATH,
  DEFAULT_MAX_RECV_MSG_SIZE_MIB,
  DEFAULT_MAX_REQUEST_BODY_SIZE,
  parseListen,
  type OtlpReceiverConfig,
} from './config.js';

const require = createRequire(import.meta.url);

/** What the runtime made of a request. */
export interface PushResult {
  /** Records not accepted (answered as partial success; the sender must not retry them). */
  rejected: number;
  /** Why, for the partial success message (no record values). */
  message: string;
}

/** Takes a request's records; resolves once they are held, rejects when they could not be (retryable). */
export type PushHandler = (items: WireItem[]) => Promise<PushResult>;

export interface OtlpReceiverServer {
  readonly name: string;
  /** Starts listening; resolves with the bound addresses (`host:port`). */
  start(handler: PushHandler): Promise<{ http?: string; grpc?: string }>;
  /** Stops accepting and waits for the requests in flight. */
  stop(): Promise<void>;
}

class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

// gRPC status codes (google.rpc.Code).
const GRPC = { INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNAVAILABLE: 14, UNAUTHENTICATED: 16, INTERNAL: 13 } as const;

let statusType: protobuf.Type | undefined;
/** google.rpc.Status { int32 code = 1; string message = 2; } */
function status(code: number, message: string, json: boolean): Buffer {
  if (json) return Buffer.from(JSON.stringify({ code, message }));
  statusType ??= protobuf.Root.fromJSON({
    nested: { Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } } },
  }).lookupType('Status');
  return Buffer.from(statusType.encode(statusType.fromObject({ code, message })).finish());
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** True when the credentials the config asks for are all present. */
function authorized(config: OtlpReceiverConfig, header: (name: string) => string | undefined): boolean {
  const auth = config.auth;
  if (!auth) return true;
  if (auth.bearer_token !== undefined) {
    const got = header('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(got);
    if (!m || !same(m[1]!.trim(), auth.bearer_token)) return false;
  }
  for (const [k, v] of Object.entries(auth.headers ?? {})) if (v !== undefined && !same(header(k.toLowerCase()) ?? '', v)) return false;
  return true;
}

/** Reads a body up to `limit` bytes, sent and decompressed. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip')
    return Promise.reject(new RequestError(415, 0, `unsupported Content-Encoding ${encoding}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (err: Error): void => {
      if (done) return;
      done = true;
      req.resume();
      reject(err);
    };
    const source = encoding === 'gzip' ? req.pipe(createGunzip()) : req;
    let sent = 0;
    if (encoding === 'gzip')
      req.on('data', (c: Buffer) => {
        sent += c.length;
        if (sent > limit) fail(new RequestError(413, GRPC.RESOURCE_EXHAUSTED, `body larger than ${limit} bytes`));
      });
    source.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        fail(new RequestError(413, GRPC.RESOURCE_EXHAUSTED, `body larger than ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    source.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    source.on('error', (err: Error) => {
      fail(new RequestError(400, GRPC.INVALID_ARGUMENT, `cannot read the body: ${err.message}`));
    });
  });
}

function decode(body: Buffer, encoding: 'protobuf' | 'json'): WireItem[] {
  try {
    return decodeRequest(body, encoding);
  } catch (err) {
    throw new RequestError(400, GRPC.INVALID_ARGUMENT, `not an ExportLogsServiceRequest (${encoding}): ${(err as Error).message}`);
  }
}

function listen(server: Server, endpoint: string): Promise<string> {
  const { host, port } = parseListen(endpoint)!;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve(`${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
    });
  });
}

/** Builds the receiver's servers from its configuration. */
export function createOtlpReceiverServer(config: OtlpReceiverConfig, name: string, log: (line: string) => void): OtlpReceiverServer {
  let http: Server | undefined;
  let grpc: import('@grpc/grpc-js').Server | undefined;
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  const handleHttp = async (handler: PushHandler, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = config.protocols.http?.logs_url_path ?? DEFAULT_LOGS_URL_PATH;
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const json = contentType === 'application/json';
    const reply = (code: number, body: Buffer | Uint8Array): void => {
      res.writeHead(code, { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(body);
    };
    try {
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) throw new RequestError(404, 0, `POST ${path} only`);
      if (!authorized(config, (h) => req.headers[h] as string | undefined))
        throw new RequestError(401, GRPC.UNAUTHENTICATED, 'not authorized');
      if (!json && contentType !== 'application/x-protobuf')
        throw new RequestError(415, 0, `unsupported Content-Type ${contentType || '(none)'}`);
      const body = await readBody(req, config.protocols.http?.max_request_body_size ?? DEFAULT_MAX_REQUEST_BODY_SIZE);
      const items = decode(body, json ? 'json' : 'protobuf');
      let result: PushResult;
      try {
        result = await handler(items);
      } catch (err) {
        log(`receivers.${name}: records not taken (the sender will retry): ${(err as Error).message}`);
        res.setHeader('Retry-After', '1');
        throw new RequestError(503, GRPC.UNAVAILABLE, 'the records could not be stored; retry');
      }
      reply(200, encodeResponse(result.rejected, result.message, json ? 'json' : 'protobuf'));
    } catch (err) {
      const e = err instanceof RequestError ? err : new RequestError(500, GRPC.INTERNAL, 'internal error');
      if (!(err instanceof RequestError)) log(`receivers.${name}: ${(err as Error).message}`);
      // A gRPC-style code in the body: 2 (UNKNOWN) when the HTTP status says it all.
      reply(e.status, status(e.grpcCode || 2, e.message, json));
    }
  };

  return {
    name,
    async start(handler) {
      const out: { http?: string; grpc?: string } = {};
      const h = config.protocols.http;
      if (h) {
        http = createServer((req, res) => void track(handleHttp(handler, req, res)));
        out.http = await listen(http, h.endpoint ?? DEFAULT_HTTP_ENDPOINT);
      }
      const g = config.protocols.grpc;
      if (g) {
        const grpcJs = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
        const server = new grpcJs.Server({
          'grpc.max_receive_message_length': (g.max_recv_msg_size_mib ?? DEFAULT_MAX_RECV_MSG_SIZE_MIB) * 1024 * 1024,
        });
        const identity = (b: Buffer): Buffer => b;
        server.addService(
          {
            Export: {
              path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
              requestStream: false,
              responseStream: false,
              requestSerialize: identity,
              requestDeserialize: identity,
              responseSerialize: identity,
              responseDeserialize: identity,
            },
          },
          {
            Export: (
              call: import('@grpc/grpc-js').ServerUnaryCall<Buffer, Buffer>,
              callback: import('@grpc/grpc-js').sendUnaryData<Buffer>,
            ) => {
              const meta = (k: string): string | undefined => {
                const v = call.metadata.get(k)[0];
                return v === undefined ? undefined : String(v);
              };
              void track(
                (async () => {
                  try {
                    if (!authorized(config, meta)) throw new RequestError(401, GRPC.UNAUTHENTICATED, 'not authorized');
                    const items = decode(call.request, 'protobuf');
                    let result: PushResult;
                    try {
                      result = await handler(items);
                    } catch (err) {
                      log(`receivers.${name}: records not taken (the sender will retry): ${(err as Error).message}`);
                      throw new RequestError(503, GRPC.UNAVAILABLE, 'the records could not be stored; retry');
                    }
                    callback(null, Buffer.from(encodeResponse(result.rejected, result.message, 'protobuf')));
                  } catch (err) {
                    const e = err instanceof RequestError ? err : new RequestError(500, GRPC.INTERNAL, 'internal error');
                    // GRPC holds google.rpc.Code numbers, the values of grpc-js's `status` enum (loaded lazily, so not named here).
                    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
                    callback({ code: e.grpcCode as import('@grpc/grpc-js').status, details: e.message });
                  }
                })(),
              );
            },
          },
        );
        const { host, port } = parseListen(g.endpoint ?? DEFAULT_GRPC_ENDPOINT)!;
        const bound = await new Promise<number>((resolve, reject) => {
          server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, grpcJs.ServerCredentials.createInsecure(), (err, p) => {
            if (err) reject(err);
            else resolve(p);
          });
        });
        grpc = server;
        out.grpc = `${host.includes(':') ? `[${host}]` : host}:${bound}`;
      }
      return out;
    },
    async stop() {
      const closing: Promise<void>[] = [];
      if (http) {
        const s = http;
        closing.push(new Promise((r) => s.close(() => r())));
        s.closeIdleConnections();
      }
      if (grpc) {
        const s = grpc;
        closing.push(new Promise((r) => s.tryShutdown(() => r())));
      }
      await Promise.all([...inFlight]);
      await Promise.all(closing);
    },
  };
}
