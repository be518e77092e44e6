/**
 * OTLP export through the official exporters: `@opentelemetry/exporter-logs-otlp-http`
 * (http/json), `-otlp-proto` (http/protobuf) and `-otlp-grpc` (grpc), with gzip, headers, timeout and the
 * exporters' own retries (429/502/503/504 with backoff, Retry-After). Library code takes
 * options only; `OTEL_EXPORTER_OTLP_LOGS_*` are read at the CLI edge.
 */
import { createRequire } from 'node:module';
import type { HrTime } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { Resource } from '@opentelemetry/resources';
import { AUDITKIT_SCOPE, auditkitResource } from './resource.js';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditEvent } from '../../model/event.js';
import { toLogRecord } from '../../model/otel.js';

export { DEFAULT_OTLP_PROTOCOL, DEFAULT_OTLP_TIMEOUT_MILLIS, OTLP_PROTOCOLS, exportUrl, logsUrl } from './options.js';
export type { OtlpExporterOptions, OtlpProtocol } from './options.js';
import {
  DEFAULT_OTLP_COMPRESSION,
  DEFAULT_OTLP_PROTOCOL,
  DEFAULT_OTLP_TIMEOUT_MILLIS,
  exportUrl,
  type OtlpExporterOptions,
} from './options.js';

const require = createRequire(import.meta.url);

/** Creates the official OTLP log exporter for the protocol (the gRPC one is loaded only when asked for). */
export function createOtlpLogExporter(options: OtlpExporterOptions): LogRecordExporter {
  const url = exportUrl(options);
  const compression = (options.compression ?? DEFAULT_OTLP_COMPRESSION) === 'none' ? CompressionAlgorithm.NONE : CompressionAlgorithm.GZIP;
  const timeoutMillis = options.timeoutMillis ?? DEFAULT_OTLP_TIMEOUT_MILLIS;
  const protocol = options.protocol ?? DEFAULT_OTLP_PROTOCOL;
  if (protocol === 'grpc') {
    const { OTLPLogExporter } =
      require('@opentelemetry/exporter-logs-otlp-grpc') as typeof import('@opentelemetry/exporter-logs-otlp-grpc');
    const { Metadata } = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
    const metadata = new Metadata();
    for (const [k, v] of Object.entries(options.headers ?? {})) metadata.set(k, v);
    return new OTLPLogExporter({ url, metadata, compression, timeoutMillis });
  }
  const config = { url, headers: { ...(options.headers ?? {}) }, compression, timeoutMillis };
  return protocol === 'http/json' ? new OtlpJsonLogExporter(config) : new OtlpProtoLogExporter(config);
}

/** Exports one batch and resolves with the result (never rejects). */
export function exportBatch(exporter: LogRecordExporter, records: ReadableLogRecord[]): Promise<{ ok: boolean; error?: Error }> {
  return new Promise((resolve) => {
    try {
      exporter.export(records, (result) => {
        resolve(result.code === ExportResultCode.SUCCESS ? { ok: true } : { ok: false, error: result.error ?? new Error('export failed') });
      });
    } catch (err) {
      resolve({ ok: false, error: err as Error });
    }
  });
}

/** Resource and scope of the records auditkit emits when no environment is given (library use). */
export const AUDITKIT_RESOURCE: Resource = auditkitResource().resource;
export { AUDITKIT_SCOPE };

/** An event as an SDK ReadableLogRecord, ready for any LogRecordExporter. */
export function readableLogRecord(event: AuditEvent, observedAt: HrTime, resource: Resource = AUDITKIT_RESOURCE): ReadableLogRecord {
  const lr = toLogRecord(event, { observedAt });
  return {
    hrTime: lr.timestamp,
    hrTimeObserved: observedAt,
    severityNumber: lr.severityNumber!,
    severityText: lr.severityText!,
    body: lr.body!,
    eventName: lr.eventName!,
    resource,
    instrumentationScope: AUDITKIT_SCOPE,
    attributes: lr.attributes,
    droppedAttributesCount: 0,
  };
}
