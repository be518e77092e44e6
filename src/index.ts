/**
 * auditkit's public API. Every export is named here (no `export *`).
 */
export { AuditkitError, AuditInputError, AuditIoError, ConfigError, formatLocation, pointerToken } from './errors.js';
export type { ConfigProblem, InputErrorCode, SourceLocation } from './errors.js';
export type { AuditEvent, SnorkelAuditRecord, WandbAuditRecord, WherobotsAuditRecord } from './generated/types.js';
export { PII_FIELDS, OTEL_FIELDS } from './generated/annotations.js';
export type { FieldAnnotation } from './generated/annotations.js';
export { SCHEMA_VERSION, VENDORS } from './model/event.js';
export type { NormalizeOptions, Operation, Resource, Vendor } from './model/event.js';
export { defineCatalog, lowerSnake } from './model/catalog.js';
export type { ActionCatalog, ActionEntry } from './model/catalog.js';
export type { VendorAdapter } from './model/adapter.js';
export { toUtcTime } from './model/time.js';
export { canonicalJson } from './model/canonical.js';
export { validateAuditEvent, validateSnorkelRecord, validateWandbRecord, validateWherobotsRecord } from './model/validators.js';
export type { SchemaError, Validator } from './model/validators.js';
export { normalize } from './pipeline/normalize.js';
export { ADAPTERS } from './pipeline/registry.js';
export { convertSources } from './pipeline/convert.js';
export type { ConvertCounts, ConvertOptions, ConvertSink } from './pipeline/convert.js';
export { readRecords, INPUT_FORMATS } from './receivers/files.js';
export type { InputFormat, InputRecord, ReadOptions } from './receivers/files.js';
export type { DeadLetter, Stage } from './exporters/dead-letter.js';
export { runCli } from './cli/main.js';
