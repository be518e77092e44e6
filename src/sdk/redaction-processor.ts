import type { AnyValue } from '@opentelemetry/api-logs';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { CollectorRedactionConfig } from '../processors/redaction/config.js';
import { compileCollectorRedaction } from '../processors/redaction/factory.js';
import { dbSystemOf, type CollectorRedactor } from '../processors/redaction/redaction.js';
import { ForwardingProcessor, removeAttributes, type ForwardingProcessorOptions } from './forwarding-processor.js';

/**
 * A LogRecordProcessor applying the Collector-compatible redaction to attributes and body. The
 * Collector also redacts resource and scope attributes; an SDK processor cannot (the SDK shares
 * one immutable resource and scope across records), so here those are left as configured on the
 * LoggerProvider. `auditkit run` redacts them (RedactableRecord).
 */
export class RedactionProcessor extends ForwardingProcessor {
  private readonly redactor: CollectorRedactor;

  constructor(config: CollectorRedactionConfig, options: ForwardingProcessorOptions = {}) {
    super(options);
    this.redactor = compileCollectorRedaction(config);
  }

  protected process(record: ReadWriteLogRecord): boolean {
    // Redacted on a copy, then applied through the SDK: removed keys are counted as dropped and
    // free their slots, new and masked values go through setAttribute (limits hold).
    const before = record.attributes as Record<string, AnyValue>;
    const system = dbSystemOf(before);
    const attributes: Record<string, AnyValue> = { ...before };
    this.redactor.processAttributes(attributes);
    removeAttributes(
      record,
      Object.keys(before).filter((k) => !Object.hasOwn(attributes, k)),
    );
    for (const [k, v] of Object.entries(attributes)) if (before[k] !== v) record.setAttribute(k, v);
    if (record.body !== undefined) {
      const summary: Record<string, AnyValue> = { ...record.attributes };
      record.setBody(this.redactor.processBody(record.body, summary, system));
      for (const [k, v] of Object.entries(summary)) if ((record.attributes as Record<string, AnyValue>)[k] !== v) record.setAttribute(k, v);
    }
    return true;
  }
}

/**
 * Creates the Collector-compatible redaction processor from the Collector's snake_case
 * options (`allowed_keys`, `blocked_values`, `summary`, ...). Throws a ConfigError listing
 * every bad option at construction; never throws from `onEmit`.
 */
export function createRedactionProcessor(config: CollectorRedactionConfig, options: ForwardingProcessorOptions = {}): RedactionProcessor {
  return new RedactionProcessor(config, options);
}
