import type { SourceLocation } from '../errors.js';

/** Pipeline stage where a record was rejected. */
export type Stage = 'receive' | 'normalize' | 'validate' | 'process' | 'export';

/**
 * One line of a dead-letter file. Every command writes this same shape, so a dead-letter file
 * can be read, fixed and fed back: `original` is the record's text exactly as it was read.
 */
export interface DeadLetter {
  /** Marks the line format. */
  dead_letter: 'auditkit/v1';
  /** When the record was rejected (RFC 3339 UTC). */
  time: string;
  stage: Stage;
  /** Bounded error code (`invalid_json`, `schema_violation`, ...). */
  code: string;
  message: string;
  /** Where the record came from: file, line, JSON pointer. */
  source: SourceLocation;
  /** The vendor it was read as, when known. */
  vendor?: string;
  /** The record's original text. */
  original: string;
  /** `base64` when `original` holds bytes that are not UTF-8 (then it is their base64). */
  encoding?: 'base64';
  /** For a CSV row: the header row of its file, so the row can be read again on its own. */
  csv_header?: string[];
}

/** Builds a dead-letter line object. */
export function deadLetter(
  stage: Stage,
  code: string,
  message: string,
  source: SourceLocation,
  original: string,
  vendor?: string,
  csvHeader?: string[],
  encoding?: 'base64',
): DeadLetter {
  return {
    dead_letter: 'auditkit/v1',
    time: new Date().toISOString(),
    stage,
    code,
    message,
    source,
    ...(vendor ? { vendor } : {}),
    original,
    ...(encoding ? { encoding } : {}),
    ...(csvHeader ? { csv_header: csvHeader } : {}),
  };
}

/** True for a parsed dead-letter line (so a dead-letter file can be fed back to convert). */
export function isDeadLetter(value: unknown): value is DeadLetter {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Partial<Record<keyof DeadLetter, unknown>>).dead_letter === 'auditkit/v1' &&
    typeof (value as Partial<Record<keyof DeadLetter, unknown>>).original === 'string'
  );
}

/** Where rejected records go with `on_invalid: dead_letter`. */
export interface DeadLetterSink {
  /** Queues one dead letter; never throws. */
  write(letter: DeadLetter): void;
  /** Resolves once everything queued is written. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
