import type { AuditEvent } from '../model/event.js';
import type { WireItem } from '../model/otlp-wire.js';

/** What an exporter has done so far. */
export interface ExporterStats {
  /** Events the destination accepted. */
  delivered: number;
  /** Events the destination refused or could not be reached for. */
  failed: number;
  /** Events not written because the destination already holds their id. */
  duplicates: number;
  lastError?: Error;
}

/**
 * An event exporter: `write` takes events, `ack` resolves once everything written so far is held
 * by the destination (a checkpoint may then advance), `flush` waits for what is still queued,
 * `close` releases the destination. Delivery errors reject `ack`; `write` never throws for a
 * bad event.
 */
export interface EventExporter {
  /** The component's `type[/name]`, for diagnostics. */
  readonly name: string;
  readonly stats: ExporterStats;
  /** Takes events; a returned promise asks the caller to wait (backpressure). */
  write(events: readonly AuditEvent[]): Promise<void> | undefined;
  /**
   * OTLP records from the otlp receiver, for exporters that send OTLP (the others take the audit
   * events those records carry, through `write`).
   */
  writeItems?(items: readonly WireItem[]): Promise<void> | undefined;
  /** Unified NDJSON lines already serialized (each ending in `\n`): exporters that write NDJSON text. */
  writeText?(ndjson: string): Promise<void> | undefined;
  ack(): Promise<void>;
  /** Waits up to `timeoutMillis` for queued batches to be delivered; true when none is left. */
  flush(timeoutMillis: number): Promise<boolean>;
  /** Batches held but not yet delivered (a sending queue's backlog). */
  readonly pending: number;
  close(): Promise<void>;
}

/** Fresh exporter stats. */
export const newExporterStats = (): ExporterStats => ({ delivered: 0, failed: 0, duplicates: 0 });
