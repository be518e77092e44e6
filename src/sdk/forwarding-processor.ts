import { diag, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { RejectionRouter } from '../components/rejections.js';

/** What a processor did with the records it saw; `received = forwarded + dropped + deadLettered + errors`. */
export interface ProcessorStats {
  readonly received: number;
  readonly forwarded: number;
  /** Rejected records dropped by `on_invalid: drop` (counted by the rejection router). */
  readonly dropped: number;
  /** Rejected records written to the dead-letter sink (counted by the rejection router). */
  readonly deadLettered: number;
  /** Unexpected failures (the record was dropped: fail closed). */
  readonly errors: number;
}

/** Default `forceFlush` timeout, as sdk-logs' own processors have. */
export const DEFAULT_FORCE_FLUSH_TIMEOUT_MILLIS = 30_000;

/** Options every auditkit LogRecordProcessor takes. */
export interface ForwardingProcessorOptions {
  /** The processor records go to after this one (typically a BatchLogRecordProcessor). */
  next?: LogRecordProcessor;
  /** `forceFlush` rejects after this long. Default 30000. */
  forceFlushTimeoutMillis?: number;
}

/**
 * Base of auditkit's SDK processors, the thin wrappers around event components (in the spirit
 * of the Collector's processorhelper): handles one record in `process`, then hands it to the
 * wrapped `next` processor (when given) so a processor can drop or divert. Also works with no
 * `next`, placed before a BatchLogRecordProcessor in `LoggerProvider({ processors })`, where
 * it rewrites records in place; a dropped record is then blanked instead (the SDK gives every
 * processor the same record and offers no way to stop it).
 *
 * Lifecycle as sdk-logs has it: `onEmit` never throws (failures go to the OTel diag logger and
 * are counted); after `shutdown` it does nothing; `shutdown` is idempotent; `forceFlush`
 * rejects after its timeout.
 */
export abstract class ForwardingProcessor implements LogRecordProcessor {
  readonly stats: ProcessorStats;
  protected readonly next: LogRecordProcessor | undefined;
  private readonly counts = { received: 0, forwarded: 0, errors: 0 };
  private readonly forceFlushTimeoutMillis: number;
  private shutdownDone: Promise<void> | undefined;

  constructor(options: ForwardingProcessorOptions, router?: RejectionRouter) {
    this.next = options.next;
    this.forceFlushTimeoutMillis = options.forceFlushTimeoutMillis ?? DEFAULT_FORCE_FLUSH_TIMEOUT_MILLIS;
    const counts = this.counts;
    // Rejections are counted once, by the router; the stats read its counts.
    this.stats = {
      get received() {
        return counts.received;
      },
      get forwarded() {
        return counts.forwarded;
      },
      get dropped() {
        return router?.counts.dropped ?? 0;
      },
      get deadLettered() {
        return router?.counts.deadLettered ?? 0;
      },
      get errors() {
        return counts.errors;
      },
    };
  }

  /** Handles one record; returns false to stop it. May throw: onEmit catches and drops. */
  protected abstract process(record: ReadWriteLogRecord, context?: Context): boolean;

  onEmit(record: ReadWriteLogRecord, context?: Context): void {
    if (this.shutdownDone) return;
    this.counts.received++;
    let keep: boolean;
    try {
      keep = this.process(record, context);
    } catch (err) {
      // Never throw from onEmit; a record we could not process is not passed on unredacted.
      this.failed('processing a record failed; it was dropped', err);
      keep = false;
    }
    if (!keep) {
      if (!this.next) blank(record);
      return;
    }
    this.counts.forwarded++;
    try {
      this.next?.onEmit(record, context);
    } catch (err) {
      this.failed('the next processor threw', err);
    }
  }

  private failed(what: string, err: unknown): void {
    this.counts.errors++;
    diag.error(`${this.constructor.name}: ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }

  /** Flushes what this processor holds itself (dead letters). */
  protected flushOwn(): Promise<void> {
    return Promise.resolve();
  }

  /** Releases what this processor holds itself; after it, nothing of it is written. */
  protected shutdownOwn(): Promise<void> {
    return this.flushOwn();
  }

  /**
   * Whether a record would be processed at all: asked of `next` (a record this processor keeps
   * still has to be wanted downstream); true without one, as sdk-logs assumes of a processor
   * without `enabled`. False after shutdown.
   */
  enabled(options: Parameters<NonNullable<LogRecordProcessor['enabled']>>[0]): boolean {
    if (this.shutdownDone) return false;
    return this.next?.enabled ? this.next.enabled(options) : true;
  }

  forceFlush(): Promise<void> {
    const flush = this.flushOwn().then(() => this.next?.forceFlush());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`${this.constructor.name}: forceFlush timed out after ${this.forceFlushTimeoutMillis} ms`));
      }, this.forceFlushTimeoutMillis);
    });
    return Promise.race([flush, timeout]).finally(() => {
      clearTimeout(timer);
    });
  }

  shutdown(): Promise<void> {
    this.shutdownDone ??= this.shutdownOwn().then(() => this.next?.shutdown());
    return this.shutdownDone;
  }
}

/**
 * Empties a record that cannot be withheld from later processors (list mode: no `next`), so
 * nothing it held leaks: its attributes are removed (counted in `droppedAttributesCount` where
 * the SDK record allows), its body emptied, and `auditkit.dropped` set, so an exporter or backend
 * can filter it out. README documents this.
 */
function blank(record: ReadWriteLogRecord): void {
  removeAttributes(record, Object.keys(record.attributes));
  record.setBody('');
  record.setAttribute('auditkit.dropped', true);
}

/**
 * Removes attributes from an SDK record. sdk-logs has no call for it, so the keys are deleted
 * from `attributes` and the record's own counters (`_attributesCount`, `_droppedAttributesCount`
 * of LogRecordImpl) are adjusted when it has them: the slots come free for later `setAttribute`
 * calls and the removed attributes are counted as dropped, as the data model asks.
 */
export function removeAttributes(record: ReadWriteLogRecord, keys: readonly string[]): void {
  const attrs = record.attributes as Record<string, unknown>;
  const impl = record as unknown as { _attributesCount?: number; _droppedAttributesCount?: number };
  for (const k of keys) {
    if (!Object.hasOwn(attrs, k)) continue;
    delete attrs[k];
    if (typeof impl._attributesCount === 'number') impl._attributesCount--;
    if (typeof impl._droppedAttributesCount === 'number') impl._droppedAttributesCount++;
  }
}
