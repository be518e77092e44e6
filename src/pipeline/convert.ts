import type { ReceiverSink } from '../components/receiver-sink.js';
import { AuditIoError, formatLocation } from '../errors.js';
import { deadLetterOf } from '../model/adapter.js';
import type { NormalizeOptions, Vendor } from '../model/event.js';
import { VENDORS } from '../model/event.js';
import type { InputFormat } from '../model/record.js';
import { readRecordBatches } from '../receivers/files/files.js';
import { ENVELOPE_KEYS, envelopeKeyOf, normalizeRecord } from '../components/adapters.js';

export interface ConvertOptions extends NormalizeOptions {
  /** Vendor of every record, or `auto` to recognize each record (default `auto`). */
  from?: Vendor | 'auto';
  /** Force the input format instead of sniffing it. */
  inputFormat?: InputFormat;
  /** A record longer than this is rejected alone (`record_too_large`). Default 4 MiB. */
  maxRecordBytes?: number;
  /** Stop reading an input after this many decompressed bytes. Default: no limit. */
  maxInputBytes?: number;
  /** Called with the size of every chunk read (for progress). */
  onBytes?: (bytes: number) => void;
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

/**
 * Converts every record of `paths` (`-` is stdin) into events. Never stops on a bad record:
 * each is handed to `sink.reject` with its location and original text, and the rest flow on.
 * An input that cannot be read is reported to `sink.sourceFailed` and the next one is read.
 * It does not call `sink.ack()`: the caller closes its exporters and reads their stats.
 */
export async function convertSources(paths: readonly string[], options: ConvertOptions, sink: ReceiverSink): Promise<ConvertCounts> {
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
        ...(options.maxRecordBytes !== undefined ? { maxRecordBytes: options.maxRecordBytes } : {}),
        ...(options.maxInputBytes !== undefined ? { maxInputBytes: options.maxInputBytes } : {}),
      });
      for await (const batch of batches) {
        for (const rec of batch) {
          counts.read++;
          const outcome = normalizeRecord(rec, from, normalizeOptions);
          if ('error' in outcome) {
            counts.rejected++;
            if (outcome.vendor) counts.byVendor[outcome.vendor].rejected++;
            await sink.reject(deadLetterOf(rec, outcome));
            continue;
          }
          counts.written++;
          counts.byVendor[outcome.vendor].written++;
          const wait = sink.write([outcome.event]);
          if (wait) await wait;
        }
      }
    } catch (err) {
      counts.failedSources++;
      await sink.sourceFailed?.(path, cannotRead(path, err));
    }
  }
  return counts;
}

/** The error an input that cannot be opened or read is reported with (`file: cannot read: why`). */
export function cannotRead(path: string, err: unknown): AuditIoError {
  const e = err as Partial<NodeJS.ErrnoException>; // not necessarily an Error
  const why =
    e.code === 'ENOENT'
      ? 'no such file'
      : e.code === 'EACCES'
        ? 'permission denied'
        : e.code === 'EISDIR'
          ? 'is a directory'
          : (e.message ?? String(err));
  return new AuditIoError(`${formatLocation({ file: path })}: cannot read: ${why}`, { cause: err });
}
