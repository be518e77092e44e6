/** A record as a receiver read it: its value (or why it could not be read), text and location. */
import type { AuditInputError, SourceLocation } from '../errors.js';

/** Input formats `convert --input-format` accepts. */
export type InputFormat = 'ndjson' | 'json' | 'csv';
export const INPUT_FORMATS: readonly InputFormat[] = ['ndjson', 'json', 'csv'];

/** One record read from an input, or one that could not be read. */
export interface InputRecord {
  /** The parsed JSON value or CSV row object; absent when `error` is set. */
  value?: unknown;
  /** The record's original text (a line, an element, a CSV row), for dead letters. */
  text: string;
  location: SourceLocation;
  format: InputFormat;
  /** The envelope key the record was found under (`audit_logs`, `items`). */
  envelopeKey?: string;
  /** For a CSV row: its file's header row (kept in dead letters so the row can be re-fed). */
  csvHeader?: string[];
  /** `base64` when `text` is the base64 of bytes that are not UTF-8. */
  encoding?: 'base64';
  error?: AuditInputError;
}
