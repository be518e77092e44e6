import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';

/** What a processor did with the records it saw; `received = forwarded + dropped + deadLettered`. */
export interface ProcessorStats {
  received: number;
  forwarded: number;
  dropped: number;
  deadLettered: number;
  /** Unexpected failures (the record was dropped: fail closed). */
  errors: number;
}

/**
 * Base of auditkit's processors: handles one record in `process`, then hands it to the
 * wrapped `next` processor (when given) so a processor can drop or divert. Also works with no
 * `next`, placed before a BatchLogRecordProcessor in `LoggerProvider({ processors })`, where
 * it rewrites records in place; a dropped record is then blanked instead (the SDK gives every
 * processor the same record and offers no way to stop it).
 */
export abstract class ForwardingProcessor implements LogRecordProcessor {
  readonly stats: ProcessorStats = { received: 0, forwarded: 0, dropped: 0, deadLettered: 0, errors: 0 };

  constructor(protected readonly next?: LogRecordProcessor) {}

  /** Handles one record; returns false to stop it. May throw: onEmit catches and drops. */
  protected abstract process(record: SdkLogRecord, context?: Context): boolean;

  onEmit(record: SdkLogRecord, context?: Context): void {
    this.stats.received++;
    let keep: boolean;
    try {
      keep = this.process(record, context);
    } catch {
      // Never throw from onEmit; a record we could not process is not passed on unredacted.
      this.stats.errors++;
      keep = false;
    }
    if (!keep) {
      if (!this.next) blank(record);
      return;
    }
    this.stats.forwarded++;
    try {
      this.next?.onEmit(record, context);
    } catch {
      this.stats.errors++;
    }
  }

  /** Counts a record dropped by policy. */
  protected drop(): false {
    this.stats.dropped++;
    return false;
  }

  forceFlush(): Promise<void> {
    return this.next?.forceFlush() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.next?.shutdown() ?? Promise.resolve();
  }
}

/** Empties a record that cannot be withheld from later processors, so nothing it held leaks. */
function blank(record: SdkLogRecord): void {
  for (const k of Object.keys(record.attributes)) delete (record.attributes as Record<string, unknown>)[k];
  record.setBody('');
  record.setAttribute('auditkit.dropped', true);
}
