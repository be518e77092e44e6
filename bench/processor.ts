/**
 * AuditLogProcessor inside a LoggerProvider, against the same provider without it: the same raw
 * W&B records are emitted through a BatchLogRecordProcessor whose exporter serializes each
 * batch to OTLP/JSON (what an exporting pipeline pays at least).
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
import { AuditLogProcessor } from '../src/sdk/audit-log-processor.js';
import { median, row, wandbRecord, type BenchRow } from './lib.js';

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

async function once(lines: string[], withAudit: boolean): Promise<number> {
  const exporter = new SerializingExporter();
  const batch = new BatchLogRecordProcessor({
    exporter,
    maxQueueSize: lines.length + 1,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 50,
  });
  const processor: LogRecordProcessor = withAudit ? new AuditLogProcessor({ next: batch }) : batch;
  const provider = new LoggerProvider({ processors: [processor] });
  const logger = provider.getLogger('bench');
  const t = process.hrtime.bigint();
  for (const body of lines) logger.emit({ body, attributes: { 'auditkit.vendor': 'wandb' } });
  await provider.forceFlush();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await provider.shutdown();
  if (exporter.exported !== lines.length) throw new Error(`exported ${exporter.exported} of ${lines.length}`);
  return ms;
}

export async function benchProcessor(records: number, runs: number): Promise<BenchRow[]> {
  const lines = Array.from({ length: records }, (_, i) => JSON.stringify(wandbRecord(i)));
  await once(lines.slice(0, 5000), true); // warm up both paths
  await once(lines.slice(0, 5000), false);
  const floor = await median(runs, () => once(lines, false));
  const ms = await median(runs, () => once(lines, true));
  return [row('processor', `AuditLogProcessor, ${records} W&B records, default policy`, ms, floor, 1.25)];
}
