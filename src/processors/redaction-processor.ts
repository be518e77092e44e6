import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { compileCollectorRedaction, type CollectorRedactionConfig, type CollectorRedactor } from '../redact/collector.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/** A LogRecordProcessor applying the Collector-compatible redaction to attributes and body. */
export class RedactionProcessor extends ForwardingProcessor {
  private readonly redactor: CollectorRedactor;

  constructor(config: CollectorRedactionConfig, next?: LogRecordProcessor) {
    super(next);
    this.redactor = compileCollectorRedaction(config);
  }

  protected process(record: SdkLogRecord): boolean {
    this.redactor.processAttributes(record.attributes as never);
    if (record.body !== undefined) record.setBody(this.redactor.processBody(record.body, record.attributes as never) as never);
    return true;
  }
}

/**
 * Creates the Collector-compatible redaction processor from the Collector's snake_case
 * options (`allowed_keys`, `blocked_values`, `summary`, ...). Throws a ConfigError listing
 * every bad option at construction; never throws from `onEmit`.
 */
export function createRedactionProcessor(config: CollectorRedactionConfig, options: { next?: LogRecordProcessor } = {}): RedactionProcessor {
  return new RedactionProcessor(config, options.next);
}
