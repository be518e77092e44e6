/**
 * An OTLP log exporter for records as they came off the wire (src/model/otlp-wire.ts): the
 * official transports of `@opentelemetry/otlp-exporter-base` (HTTP, with its retries on
 * 429/502/503/504 and Retry-After, gzip, timeout, headers, TLS agent options) and
 * `@opentelemetry/otlp-grpc-exporter-base` (gRPC), with a serializer that encodes the decoded
 * records back exactly, so a record passing through auditkit keeps its resource, scope, ids and
 * value types. Audit events become wire records through `eventItems`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { HrTime } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { createOtlpHttpExportDelegate, httpAgentFactoryFromOptions } from '@opentelemetry/otlp-exporter-base/node-http';
import type { IExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import type { AuditEvent } from '../../model/event.js';
import { toLogRecord } from '../../model/otel.js';
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeRequestJson,
  hrTimeToNanos,
  jsToKvs,
  toWire,
  type WireItem,
  type WireResource,
  type WireScope,
} from '../../model/otlp-wire.js';
import {
  DEFAULT_OTLP_COMPRESSION,
  DEFAULT_OTLP_PROTOCOL,
  DEFAULT_OTLP_TIMEOUT_MILLIS,
  exportUrl,
  type OtlpExporterOptions,
} from './options.js';
import { AUDITKIT_SCOPE, auditkitResource } from './resource.js';

const require = createRequire(import.meta.url);

/** TLS settings in the Collector's shape (`tls:` of its exporters). */
export interface TlsOptions {
  /** Plain text (no TLS) for an endpoint without a scheme (gRPC). */
  insecure?: boolean;
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
}

export interface WireExporterOptions extends OtlpExporterOptions {
  tls?: TlsOptions;
}

/** What an export returns: accepted (with the server's count of rejected records, if it said any) or failed. */
export interface WireExportResult {
  ok: boolean;
  error?: Error;
}

/** A batch: records, or a request already encoded as protobuf (a sending queue's file) with its record count. */
export type WireBatch = { items: readonly WireItem[] } | { encoded: Uint8Array; count: number };

/** The exporter: `export` one batch at a time; `shutdown` when done. */
export interface WireLogExporter {
  export(batch: WireBatch): Promise<WireExportResult>;
  shutdown(): Promise<void>;
}

const protobufSerializer = {
  // An encoded batch goes out as it was stored: no decode and re-encode.
  serializeRequest: (batch: WireBatch): Uint8Array => ('encoded' in batch ? batch.encoded : encodeRequest(batch.items)),
  deserializeResponse: (data: Uint8Array) => {
    const r = decodeResponse(data);
    return r.rejected || r.message ? { partialSuccess: { rejectedLogRecords: r.rejected, errorMessage: r.message } } : {};
  },
};
const jsonSerializer = {
  serializeRequest: (batch: WireBatch): Uint8Array =>
    Buffer.from(encodeRequestJson('encoded' in batch ? decodeRequest(batch.encoded, 'protobuf') : batch.items)),
  deserializeResponse: (data: Uint8Array) => (data.length ? (JSON.parse(Buffer.from(data).toString('utf8')) as object) : {}),
};

/** The transports' self-observability counts records by the batch's length. */
const LOG_ITEMS: IExporterMetricsHelper<WireBatch> = { name: 'log', countItems: (b) => ('encoded' in b ? b.count : b.items.length) };

const read = (file: string | undefined): Buffer | undefined => (file ? readFileSync(file) : undefined);

/** Creates the exporter for the protocol (the gRPC transport is loaded only when asked for). */
export function createWireLogExporter(options: WireExporterOptions): WireLogExporter {
  const url = exportUrl(options);
  const compression = options.compression ?? DEFAULT_OTLP_COMPRESSION;
  const timeoutMillis = options.timeoutMillis ?? DEFAULT_OTLP_TIMEOUT_MILLIS;
  const protocol = options.protocol ?? DEFAULT_OTLP_PROTOCOL;
  const tls = options.tls ?? {};
  let base: OTLPExporterBase<WireBatch>;
  if (protocol === 'grpc') {
    const grpcBase = require('@opentelemetry/otlp-grpc-exporter-base') as typeof import('@opentelemetry/otlp-grpc-exporter-base');
    const { Metadata } = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
    const metadata = new Metadata();
    for (const [k, v] of Object.entries(options.headers ?? {})) metadata.set(k, v);
    const secure = url.startsWith('https:');
    const credentials = secure
      ? grpcBase.createSslCredentials(read(tls.ca_file), read(tls.key_file), read(tls.cert_file))
      : grpcBase.createInsecureCredentials();
    // The configuration is given whole (no OTEL_* fallback here: the CLI resolves the environment at its edge).
    base = new OTLPExporterBase(
      grpcBase.createOtlpGrpcExportDelegate(
        {
          url: new URL(url).host,
          metadata: () => metadata,
          credentials: () => credentials,
          compression,
          timeoutMillis,
          concurrencyLimit: 2,
        },
        protobufSerializer,
        'auditkit_otlp_grpc_log_exporter',
        LOG_ITEMS,
        undefined,
        'LogsExportService',
        '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
      ),
    );
  } else {
    const json = protocol === 'http/json';
    const headers = { ...(options.headers ?? {}), 'Content-Type': json ? 'application/json' : 'application/x-protobuf' };
    base = new OTLPExporterBase(
      createOtlpHttpExportDelegate(
        {
          url,
          headers: () => Promise.resolve(headers),
          compression,
          timeoutMillis,
          concurrencyLimit: 2,
          agentFactory: httpAgentFactoryFromOptions({
            keepAlive: true,
            ...(tls.ca_file ? { ca: read(tls.ca_file) } : {}),
            ...(tls.cert_file ? { cert: read(tls.cert_file) } : {}),
            ...(tls.key_file ? { key: read(tls.key_file) } : {}),
          }),
        },
        json ? jsonSerializer : protobufSerializer,
        'auditkit_otlp_http_log_exporter',
        LOG_ITEMS,
        undefined,
      ),
    );
  }
  return {
    export: (batch) =>
      new Promise((resolve) => {
        try {
          base.export(batch, (result: ExportResult) => {
            resolve(
              result.code === ExportResultCode.SUCCESS ? { ok: true } : { ok: false, error: result.error ?? new Error('export failed') },
            );
          });
        } catch (err) {
          resolve({ ok: false, error: err as Error });
        }
      }),
    shutdown: () => base.shutdown(),
  };
}

/** A resource's wire form (one object per resource, so records group under one ResourceLogs). */
const wireResources = new WeakMap<Resource, WireResource>();
function wireResource(resource: Resource): WireResource {
  let w = wireResources.get(resource);
  if (!w) {
    w = { resource: { attributes: jsToKvs(resource.attributes) } };
    if (resource.schemaUrl) w.schemaUrl = resource.schemaUrl;
    wireResources.set(resource, w);
  }
  return w;
}
const WIRE_SCOPE: WireScope = {
  scope: { name: AUDITKIT_SCOPE.name, ...(AUDITKIT_SCOPE.version ? { version: AUDITKIT_SCOPE.version } : {}) },
};
const DEFAULT_RESOURCE = auditkitResource().resource;

/** An audit event as a wire record under auditkit's resource and scope (the attribute contract of src/model/otel.ts). */
export function eventItem(event: AuditEvent, observedAt: HrTime, resource: Resource = DEFAULT_RESOURCE): WireItem {
  const lr = toLogRecord(event, { observedAt });
  return {
    resource: wireResource(resource),
    scope: WIRE_SCOPE,
    event,
    record: {
      timeUnixNano: hrTimeToNanos(lr.timestamp),
      observedTimeUnixNano: hrTimeToNanos(observedAt),
      severityNumber: lr.severityNumber!,
      severityText: lr.severityText!,
      body: toWire(lr.body),
      attributes: jsToKvs(lr.attributes),
      eventName: lr.eventName!,
    },
  };
}
