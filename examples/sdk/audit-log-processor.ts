/**
 * An SRE's existing OpenTelemetry logging, with auditkit added in front of the exporter.
 *
 *   node --import tsx examples/sdk/audit-log-processor.ts http://127.0.0.1:4318
 *
 * Vendor audit records are emitted as they arrive (body: the raw record, attribute
 * `auditkit.vendor`); AuditLogProcessor normalizes, validates and redacts them before the
 * BatchLogRecordProcessor hands them to the OTLP exporter. Other log records pass untouched.
 * In your project, import from 'auditkit' instead of '../../src/index.js'.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AuditLogProcessor } from '../../src/index.js';

/** Builds the provider: the app's exporter pipeline, with AuditLogProcessor wrapping it. */
export function createLoggerProvider(endpoint: string): { provider: LoggerProvider; audit: AuditLogProcessor } {
  const exporter = new OTLPLogExporter({ url: `${endpoint}/v1/logs` });
  const batch = new BatchLogRecordProcessor({ exporter });
  // hands valid, redacted records to `batch`; drops (and counts) invalid ones
  const audit = new AuditLogProcessor({ next: batch, redaction: { preset: 'default' } });
  const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'audit-forwarder' }), processors: [audit] });
  return { provider, audit };
}

/** Emits every line of a W&B NDJSON export through the provider, then flushes. */
export async function run(endpoint: string, file: string): Promise<AuditLogProcessor> {
  const { provider, audit } = createLoggerProvider(endpoint);
  const logger = provider.getLogger('wandb-audit');
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim()) logger.emit({ body: line, attributes: { 'auditkit.vendor': 'wandb' } });
  }
  logger.emit({ body: 'forwarder started' }); // ordinary telemetry: passes through untouched
  await provider.shutdown(); // flushes the batch processor
  return audit;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const audit = await run(process.argv[2] ?? 'http://127.0.0.1:4318', path.join(here, '../wandb/api-stream.ndjson'));
  console.log(audit.stats);
}
