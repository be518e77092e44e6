/**
 * auditkit's public API. Every export is named here (no `export *`); internals (the CLI, the
 * sending queue, the HTTP puller, checkpoints, component factories) are not part of it.
 */
// Errors
export { ArchiveIntegrityError, AuditkitError, AuditInputError, AuditIoError, ConfigError } from './errors.js';
export type { ConfigProblem, InputErrorCode, SourceLocation } from './errors.js';
// The event model and its schemas
export type { AuditEvent, SnorkelAuditRecord, WandbAuditRecord, WherobotsAuditRecord } from './generated/types.js';
export type { AuditkitConfig, CollectorRedactionConfig } from './generated/types.js';
export { PII_FIELDS, OTEL_FIELDS } from './generated/annotations.js';
export type { FieldAnnotation } from './generated/annotations.js';
export { SCHEMA_VERSION, VENDORS } from './model/event.js';
export type { NormalizeOptions, Operation, Resource, Vendor } from './model/event.js';
export { defineCatalog } from './model/catalog.js';
export type { ActionCatalog, ActionEntry } from './model/catalog.js';
export { normalizeSnorkel } from '../adapters/snorkel/normalize.js';
export type { SnorkelNormalizeOptions } from '../adapters/snorkel/normalize.js';
export type { VendorAdapter } from './model/adapter.js';
export type { DeadLetter, DeadLetterSink, Stage } from './model/dead-letter.js';
export { validateAuditEvent, validateSnorkelRecord, validateWandbRecord, validateWherobotsRecord } from './model/validators.js';
export type { SchemaError, Validator } from './model/validators.js';
// Normalizing vendor records
export { normalize, ADAPTERS } from './components/adapters.js';
export { convertSources } from './pipeline/convert.js';
export type { ConvertCounts, ConvertOptions } from './pipeline/convert.js';
export type { ReceiverSink } from './components/receiver-sink.js';
export { readRecords, INPUT_FORMATS } from './receivers/files/files.js';
export type { InputFormat, InputRecord, ReadOptions } from './receivers/files/files.js';
// The OpenTelemetry log mapping
export { ATTR, AUDIT_EVENT_NAME, fromLogRecord, summarize, toLogRecord } from './model/otel.js';
export { hrTimeToTime, timeToHrTime } from './model/time.js';
export type { LogRecordLike, ToLogRecordOptions } from './model/otel.js';
// The component contracts
export type { EventProcessor, Problem, Rejection } from './components/event-processor.js';
export type { EventExporter, ExporterStats } from './components/event-exporter.js';
export { DEFAULT_ON_INVALID, ON_INVALID } from './components/rejections.js';
export type { OnInvalid } from './components/rejections.js';
// Redaction and validation
export { compilePiiPolicy, DEFAULT_MASK, PII_PRESETS } from './redact/pii-policy.js';
export type { PiiClass, PiiMode, PiiPolicyConfig, PiiPreset, PiiRedactor } from './redact/pii-policy.js';
export { compileCollectorRedaction } from './processors/redaction/factory.js';
export { SUMMARY as REDACTION_SUMMARY_ATTRIBUTES } from './processors/redaction/steps.js';
export type { CollectorRedactor } from './processors/redaction/redaction.js';
export { validateEvent } from './processors/validate/validate.js';
export type { ValidationProblem } from './processors/validate/validate.js';
// OpenTelemetry SDK processors
export { AuditLogProcessor } from './sdk/audit-log-processor.js';
export type { AuditLogProcessorOptions } from './sdk/audit-log-processor.js';
export { createRedactionProcessor, RedactionProcessor } from './sdk/redaction-processor.js';
export { createValidationProcessor, ValidationProcessor } from './sdk/validation-processor.js';
export type { ValidationProcessorConfig, ValidationProcessorOptions } from './sdk/validation-processor.js';
export type { ForwardingProcessorOptions, ProcessorStats } from './sdk/forwarding-processor.js';
export { NdjsonDeadLetterFile } from './io/dead-letter-file.js';
// Exporters
export { createOtlpLogExporter, readableLogRecord } from './exporters/otlp/otlp.js';
export type { OtlpExporterOptions, OtlpProtocol } from './exporters/otlp/options.js';
export { NdjsonArchiveWriter } from './exporters/ndjson_file/writer.js';
export { DEFAULT_MAX_FILE_AGE_MILLIS, DEFAULT_MAX_FILE_BYTES } from './exporters/ndjson_file/config.js';
export type { ArchiveWriterOptions } from './exporters/ndjson_file/writer.js';
export { verifyArchive } from './exporters/ndjson_file/verify.js';
export type { VerifyOptions, VerifyProblem, VerifyResult } from './exporters/ndjson_file/verify.js';
export { queryArchive } from './exporters/ndjson_file/query.js';
export type { QueryFilter } from './exporters/ndjson_file/query.js';
export type { Digest, SigningKey } from './exporters/ndjson_file/format.js';
// The collector runtime behind `auditkit run`
export { loadConfig, parseConfig } from './pipeline/config.js';
export { Runtime } from './pipeline/runtime.js';
export type { RuntimeOptions, PullReport } from './pipeline/runtime.js';
