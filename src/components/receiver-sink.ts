import type { AuditIoError } from '../errors.js';
import type { DeadLetter } from '../model/dead-letter.js';
import type { AuditEvent } from '../model/event.js';
import type { EventExporter } from './event-exporter.js';
import type { ProcessorChain } from './processor-chain.js';

/**
 * Where a receiver (the file reader behind `convert`, a vendor API pull) delivers: the one
 * receiver-side contract, the mirror of the exporter's. Never given a record it must not lose:
 * each record is either written or rejected with its dead letter.
 */
export interface ReceiverSink {
  /** Events read and normalized; a returned promise asks the receiver to wait (backpressure). */
  write(events: readonly AuditEvent[]): Promise<void> | undefined;
  /** Unified NDJSON lines already serialized, each ending in `\n` (parallel convert's workers). */
  writeText?(ndjson: string): Promise<void> | undefined;
  /** Resolves once everything written is held downstream: a pull advances its checkpoint after it. */
  ack(): Promise<void>;
  /** A record that could not be read or normalized, as its dead letter. */
  reject(letter: DeadLetter): Promise<void> | undefined;
  /** An input that could not be read at all (a missing file, a broken gzip). */
  sourceFailed?(source: string, error: AuditIoError): Promise<void> | undefined;
}

/**
 * The sink in front of a pipeline's processors and exporters: each event runs through `chain`
 * (undefined drops it), then goes to every exporter in turn; `ack` waits for every exporter.
 */
export function exporterSink(
  exporters: readonly EventExporter[],
  hooks: Pick<ReceiverSink, 'reject' | 'sourceFailed'> & { chain?: ProcessorChain },
): ReceiverSink {
  const { chain, ...rest } = hooks;
  const only = exporters.length === 1 ? exporters[0] : undefined;
  const deliver = only
    ? (events: readonly AuditEvent[]) => only.write(events)
    : async (events: readonly AuditEvent[]) => {
        for (const x of exporters) await x.write(events);
      };
  return {
    ...rest,
    write:
      chain && chain.steps.length > 0
        ? (events) => {
            if (events.length === 1) {
              // The common case (convert writes event by event): no second array unless the event changed.
              const processed = chain.run(events[0]!);
              return processed ? deliver(processed === events[0] ? events : [processed]) : undefined;
            }
            const out: AuditEvent[] = [];
            for (const e of events) {
              const processed = chain.run(e);
              if (processed) out.push(processed);
            }
            return out.length ? deliver(out) : undefined;
          }
        : deliver,
    ...(only?.writeText ? { writeText: only.writeText.bind(only) } : {}),
    ack: async () => {
      for (const x of exporters) await x.ack();
    },
  };
}
