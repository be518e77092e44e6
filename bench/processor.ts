/**
 * AuditLogProcessor inside a LoggerProvider, against the same provider without it emitting the
 * records AuditLogProcessor makes (normalized, redacted, prebuilt outside the timing), so both
 * sides pay the same export: a BatchLogRecordProcessor whose exporter serializes each batch to
 * OTLP/JSON. The difference is what the processor costs: parse, normalize, validate, redact.
 */
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { ExportResultCode } from '@opentelemetry/core';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import type { LogRecord } from '@opentelemetry/api-logs';
import { AuditLogProcessor } from '../src/sdk/audit-log-processor.js';
import { normalize } from '../src/components/adapters.js';
import { toLogRecord } from '../src/model/otel.js';
import { compilePiiPolicy } from '../src/redact/pii-policy.js';
import { interleaved, row, wandbRecord, type BenchRow } from './lib.js';

class SerializingExporter implements LogRecordExporter {
  exported = 0;
  bytes = 0;
  export(records: ReadableLogRecord[], cb: (r: { code: ExportResultCode }) => void): void {
    this.bytes += JsonLogsSerializer.serializeRequest(records)?.length ?? 0;
    this.exported += records.length;
    cb({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

async function once(lines: string[], withAudit: boolean, prebuilt: LogRecord[] = []): Promise<number> {
  const exporter = new SerializingExporter();
  const batch = new BatchLogRecordProcessor({
    exporter,
    maxQueueSize: Math.max(lines.length, prebuilt.length) + 1,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 50,
  });
  const processor: LogRecordProcessor = withAudit ? new AuditLogProcessor({ next: batch }) : batch;
  const provider = new LoggerProvider({ processors: [processor] });
  const logger = provider.getLogger('bench');
  const t = process.hrtime.bigint();
  if (withAudit) for (const body of lines) logger.emit({ body, attributes: { 'auditkit.vendor': 'wandb' } });
  else for (const r of prebuilt) logger.emit(r);
  await provider.forceFlush();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await provider.shutdown();
  const expected = withAudit ? lines.length : prebuilt.length;
  if (exporter.exported !== expected) throw new Error(`exported ${exporter.exported} of ${expected}`);
  return ms;
}

export async function benchProcessor(records: number, runs: number): Promise<BenchRow[]> {
  const lines = Array.from({ length: records }, (_, i) => JSON.stringify(wandbRecord(i)));
  // The records AuditLogProcessor emits: normalized and redacted by the default policy.
  const policy = compilePiiPolicy({ preset: 'default' });
  const prebuilt = lines.map((l) => toLogRecord(policy.redactEvent(normalize('wandb', JSON.parse(l) as Record<string, unknown>))));
  await once(lines.slice(0, 5000), true); // warm up both paths
  await once([], false, prebuilt.slice(0, 5000));
  const { ms, floorMs: floor } = await interleaved(
    runs,
    () => once([], false, prebuilt),
    () => once(lines, true),
  );
  return [
    row(
      'processor',
      `AuditLogProcessor, ${records} W&B records, default policy (floor: the same records emitted prebuilt)`,
      ms,
      floor,
      1.25,
    ),
  ];
}
