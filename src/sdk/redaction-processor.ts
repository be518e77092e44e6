import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { CollectorRedactionConfig } from '../processors/redaction/config.js';
import { compileCollectorRedaction } from '../processors/redaction/factory.js';
import type { CollectorRedactor } from '../processors/redaction/redaction.js';
import { ForwardingProcessor, type ForwardingProcessorOptions } from './forwarding-processor.js';

/** A LogRecordProcessor applying the Collector-compatible redaction to attributes and body. */
export class RedactionProcessor extends ForwardingProcessor {
  private readonly redactor: CollectorRedactor;

  constructor(config: CollectorRedactionConfig, options: ForwardingProcessorOptions = {}) {
    super(options);
    this.redactor = compileCollectorRedaction(config);
  }

  protected process(record: ReadWriteLogRecord): boolean {
    const attributes = record.attributes;
    this.redactor.processAttributes(attributes);
    if (record.body !== undefined) record.setBody(this.redactor.processBody(record.body, attributes));
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
