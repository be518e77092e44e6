/**
 * auditkit's error classes. Every error carries a stable, bounded `code` so callers and
 * dead-letter files can branch on it without parsing messages. Messages never contain
 * secrets (API keys, HMAC keys, Authorization headers).
 */

/** Bounded error codes for a record that could not be turned into an event. */
export type InputErrorCode =
  | 'invalid_json'
  | 'invalid_csv'
  | 'not_an_object'
  | 'schema_violation'
  | 'invalid_time'
  | 'time_out_of_range'
  | 'unknown_vendor'
  | 'record_too_large'
  | 'too_deep'
  | 'invalid_utf8';

/** Where a record came from: file (or `-` for stdin), 1-based line, JSON pointer within the line/document. */
export interface SourceLocation {
  file?: string;
  line?: number;
  pointer?: string;
}

/** Base class: every auditkit error has a stable `code`. */
export class AuditkitError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A record that is not valid input. Thrown by `normalize()` and adapters; the pipeline
 * catches it, counts the record as rejected and routes it to the dead-letter file.
 * `pointer` is the JSON pointer (RFC 6901) of the offending value inside the record.
 */
export class AuditInputError extends AuditkitError {
  constructor(
    override readonly code: InputErrorCode,
    message: string,
    readonly pointer?: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** One problem in a configuration or command line, with the path where it is. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Bad configuration or usage: lists every problem at once. CLI exit code 2. */
export class ConfigError extends AuditkitError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super('config_error', problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n'));
  }
}

/** A file or network failure that stops a source (not a single record). CLI exit code 3. */
export class AuditIoError extends AuditkitError {
  constructor(message: string, options?: ErrorOptions) {
    super('io_error', message, options);
  }
}

/**
 * An archive holds something its digests do not vouch for (a forged or edited segment, a broken
 * chain, a stray file): a writer refuses to adopt it. CLI exit code 1.
 */
export class ArchiveIntegrityError extends AuditkitError {
  constructor(message: string) {
    super('archive_integrity', message);
  }
}

/** Escapes one JSON pointer reference token (RFC 6901: `~` -> `~0`, `/` -> `~1`). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Formats a location as `file:line pointer` for human-readable diagnostics. */
export function formatLocation(loc: SourceLocation): string {
  let s = loc.file ?? '<input>';
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.pointer !== undefined && loc.pointer !== '') s += ` at ${loc.pointer}`;
  return s;
}
