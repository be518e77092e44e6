import { AuditInputError, AuditIoError, formatLocation } from '../errors.js';
import type { VendorAdapter } from '../model/adapter.js';
import type { AuditEvent, NormalizeOptions, Vendor } from '../model/event.js';
import { isPlainRecord, VENDORS } from '../model/event.js';
import { deadLetter, type DeadLetter } from '../exporters/dead-letter.js';
import { readRecordBatches, type InputFormat, type InputRecord } from '../receivers/files.js';
import { ADAPTERS, ENVELOPE_KEYS, adapterFor, adapterForEnvelope, detectAdapter, envelopeKeyOf } from './registry.js';

export interface ConvertOptions extends NormalizeOptions {
  /** Vendor of every record, or `auto` to recognize each record (default `auto`). */
  from?: Vendor | 'auto';
  /** Force the input format instead of sniffing it. */
  inputFormat?: InputFormat;
  /** Called with the size of every chunk read (for progress). */
  onBytes?: (bytes: number) => void;
}

/** Where converted events and rejected records go. */
export interface ConvertSink {
  /** May return a promise to wait on (backpressure); most calls return nothing. */
  event(event: AuditEvent): Promise<void> | void;
  /** A record that could not be converted: its dead letter and the error. */
  reject(letter: DeadLetter, error: AuditInputError): Promise<void> | void;
  /** An input that could not be read (missing file, broken gzip). */
  sourceFailed(path: string, error: AuditIoError): Promise<void> | void;
}

/** Counts of one conversion; `read === written + rejected` always holds. */
export interface ConvertCounts {
  read: number;
  written: number;
  rejected: number;
  /** Inputs that failed to open or broke while being read. */
  failedSources: number;
  byVendor: Record<Vendor, { written: number; rejected: number }>;
}

function newCounts(): ConvertCounts {
  const byVendor = {} as ConvertCounts['byVendor'];
  for (const v of VENDORS) byVendor[v] = { written: 0, rejected: 0 };
  return { read: 0, written: 0, rejected: 0, failedSources: 0, byVendor };
}

/** The outcome of one input record: an event, or why it was rejected and by which stage. */
export type RecordOutcome =
  | { event: AuditEvent; vendor: Vendor }
  | { error: AuditInputError; stage: 'receive' | 'normalize'; vendor?: Vendor };

/** Normalizes one input record (the step `convert` and `pull` share). Never throws. */
export function normalizeRecord(rec: InputRecord, from: Vendor | 'auto', options: NormalizeOptions): RecordOutcome {
  if (rec.error) return { error: rec.error, stage: 'receive' };
  const adapter = chooseAdapter(rec, from);
  if (!adapter) {
    return {
      stage: 'normalize',
      error: isPlainRecord(rec.value)
        ? new AuditInputError('unknown_vendor', 'record matches no vendor (W&B has action+timestamp, Snorkel event_name+event_type, Wherobots action_name); use --from', '')
        : new AuditInputError('not_an_object', 'record must be a JSON object', ''),
    };
  }
  try {
    return { event: adapter.normalize(rec.value, options), vendor: adapter.vendor };
  } catch (err) {
    const e = err instanceof AuditInputError ? err : new AuditInputError('schema_violation', `cannot normalize record: ${String(err)}`, '', { cause: err });
    return { error: e, stage: 'normalize', vendor: adapter.vendor };
  }
}

/** The dead letter of a rejected record. */
export function deadLetterOf(rec: InputRecord, outcome: { error: AuditInputError; stage: 'receive' | 'normalize'; vendor?: Vendor }): DeadLetter {
  const pointer = `${rec.location.pointer ?? ''}${outcome.error.pointer ?? ''}`;
  const source = { ...rec.location, ...(pointer ? { pointer } : {}) };
  return deadLetter(outcome.stage, outcome.error.code, outcome.error.message, source, rec.text, outcome.vendor, rec.csvHeader);
}

function chooseAdapter(rec: InputRecord, from: Vendor | 'auto'): VendorAdapter | undefined {
  if (from !== 'auto') return adapterFor(from);
  if (rec.envelopeKey) return adapterForEnvelope(rec.envelopeKey);
  if (rec.format === 'csv') for (const a of ADAPTERS.values()) if (a.csvExport) return a;
  return isPlainRecord(rec.value) ? detectAdapter(rec.value) : undefined;
}

/**
 * Converts every record of `paths` (`-` is stdin) into events. Never stops on a bad record:
 * each is handed to `sink.reject` with its location and original text, and the rest flow on.
 * An input that cannot be read is reported to `sink.sourceFailed` and the next one is read.
 */
export async function convertSources(paths: readonly string[], options: ConvertOptions, sink: ConvertSink): Promise<ConvertCounts> {
  const from = options.from ?? 'auto';
  const normalizeOptions: NormalizeOptions = { keepRaw: options.keepRaw ?? false };
  const counts = newCounts();

  for (const path of paths) {
    try {
      const batches = readRecordBatches(path, {
        ...(options.inputFormat ? { format: options.inputFormat } : {}),
        envelopeKeyOf,
        envelopeKeys: ENVELOPE_KEYS,
        ...(options.onBytes ? { onBytes: options.onBytes } : {}),
      });
      for await (const batch of batches) {
        for (const rec of batch) {
          counts.read++;
          const outcome = normalizeRecord(rec, from, normalizeOptions);
          if ('error' in outcome) {
            counts.rejected++;
            if (outcome.vendor) counts.byVendor[outcome.vendor].rejected++;
            await sink.reject(deadLetterOf(rec, outcome), outcome.error);
            continue;
          }
          counts.written++;
          counts.byVendor[outcome.vendor].written++;
          const wait = sink.event(outcome.event);
          if (wait) await wait;
        }
      }
    } catch (err) {
      counts.failedSources++;
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : (e.message ?? String(err));
      await sink.sourceFailed(path, new AuditIoError(`${formatLocation({ file: path })}: cannot read: ${why}`, { cause: err }));
    }
  }
  return counts;
}
