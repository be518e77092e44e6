/**
 * File and stdin receiver: NDJSON, JSON documents (arrays and vendor envelopes), CSV, any of
 * them gzip-compressed, with a UTF-8 BOM, CRLF line ends and blank lines. Yields one
 * `InputRecord` per record with its exact original text and location; a bad record becomes an
 * `InputRecord` with `error` set and the records after it keep flowing.
 */
import { parseJsonExact } from '../../model/json.js';
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type { Options as CsvOptions } from 'csv-parse/sync';
import { AuditInputError, AuditIoError, pointerToken, type InputErrorCode, type SourceLocation } from '../../errors.js';
import type { InputFormat, InputRecord } from '../../model/record.js';
import { jsonDocumentElements } from './json-document.js';
import { LineSplitter, type LineItem } from '../../io/lines.js';
import { decodeUtf8, invalidUtf8Original } from '../../io/utf8.js';
import { chunksUntilError, gunzipOf } from '../../io/stream-chunks.js';
import { isDeadLetter, type DeadLetter } from '../../model/dead-letter.js';

export { INPUT_FORMATS } from '../../model/record.js';
export type { InputFormat, InputRecord } from '../../model/record.js';

const requireCjs = createRequire(import.meta.url);
let csvParse: ((text: string, options: CsvOptions) => string[][]) | undefined;
/** csv-parse's sync parser, loaded at the first CSV record: JSON inputs and the SDK never load it. */
function parseCsvSync(text: string, options: CsvOptions): string[][] {
  csvParse ??= (requireCjs('csv-parse/sync') as { parse: (text: string, options: CsvOptions) => string[][] }).parse;
  return csvParse(text, options);
}

/**
 * csv-parse options for one record's text (the splitter below has already found its end): the
 * record delimiter is given, so csv-parse does not discover it on every call (its discovery made
 * Buffers per record and was most of a CSV convert's time).
 */
const CSV_ONE_RECORD = { relax_column_count: true, record_delimiter: '\n' } as const;
/** The same, for a record that may start with a byte-order mark (the file's first). */
const CSV_FIRST_RECORD = { ...CSV_ONE_RECORD, bom: true } as const;

export interface ReadOptions {
  /** Force a format instead of sniffing it from the content. */
  format?: InputFormat;
  /**
   * Returns the key of the record array when `obj` is a vendor page envelope
   * (`{"audit_logs": [...]}`), else undefined. Supplied by the pipeline from the adapters.
   */
  envelopeKeyOf: (obj: Record<string, unknown>) => string | undefined;
  /** Every envelope key any adapter uses (for streaming JSON documents). */
  envelopeKeys: ReadonlySet<string>;
  /** A record longer than this (characters of an NDJSON line) is rejected alone. Default 4 MiB. */
  maxRecordBytes?: number;
  /** Called with the size of every chunk read from the source (compressed bytes for .gz). */
  onBytes?: (bytes: number) => void;
  /** Stop reading an input after this many (decompressed) bytes: a gzip bomb. Default: no limit. */
  maxInputBytes?: number;
}

/** Passes bytes on up to `max` (decompressed), then fails the input: what was read stays read. */
async function* capped(chunks: AsyncIterable<Buffer>, max: number | undefined, path: string): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (max !== undefined && total > max)
      throw new AuditIoError(`${path}: more than --max-input-bytes (${max}) bytes once decompressed; the rest is not read`);
    yield chunk;
  }
}

/**
 * Bytes read at a time: 64 KiB. Each chunk becomes one string; a string of more than 128 KiB
 * is made in V8's large-object space (fresh pages each time) instead of the young generation,
 * and with 256 KiB chunks that decoding was 13% of a W&B convert (2.55 -> 2.21 s for 200k).
 */
const READ_CHUNK_BYTES = 64 * 1024;

/** Reads raw chunks of a file, or of stdin for `-`. */
async function* rawChunks(path: string, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  const stream = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    onBytes?.(chunk.length);
    yield chunk;
  }
}

/** Gunzips when the data starts with the gzip magic bytes, whatever the file is called. */
async function* gunzipIfNeeded(chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  const first = await chunks.next();
  if (first.done) return;
  async function* all(): AsyncGenerator<Buffer> {
    yield first.value;
    yield* chunks;
  }
  if (first.value[0] === 0x1f && first.value[1] === 0x8b) {
    const source = Readable.from(all());
    try {
      yield* chunksUntilError(gunzipOf(source));
    } finally {
      source.destroy();
    }
  } else {
    yield* all();
  }
}

/**
 * Looks at the start of the text to choose a format: `[` is a JSON document; `{` is NDJSON
 * when the first line is a whole JSON value, else a (pretty-printed) JSON document; anything
 * else is CSV. Returns the format and the text chunks, the peeked ones included.
 */
async function sniff(chunks: AsyncGenerator<string>): Promise<[InputFormat, AsyncGenerator<string>]> {
  const seen: string[] = [];
  let text = '';
  let format: InputFormat | undefined;
  for (;;) {
    const next = await chunks.next();
    if (!next.done) {
      seen.push(next.value);
      text += next.value;
    }
    // The first character that is neither blank nor an invalid-UTF-8 marker's NUL (src/io/utf8.ts).
    // eslint-disable-next-line no-control-regex
    const start = text.search(/[^\s\u0000]/);
    if (start >= 0) {
      const c = text[start];
      if (c === '[') format = 'json';
      else if (c !== '{') format = 'csv';
      else {
        // A line ends at `\n`, `\r\n` or a lone `\r`.
        const end = text.slice(start).search(/[\r\n]/);
        const nl = end < 0 ? -1 : start + end;
        if (nl >= 0 || next.done) {
          const firstLine = text.slice(start, nl >= 0 ? nl : undefined);
          try {
            JSON.parse(firstLine);
            format = 'ndjson';
          } catch {
            format = 'json';
          }
        }
      }
    }
    if (format || next.done) break;
  }
  async function* all(): AsyncGenerator<string> {
    yield* seen;
    yield* chunks;
  }
  return [format ?? 'ndjson', all()];
}

/** Default largest record (`--max-record-bytes`): a larger one is rejected alone. */
export const DEFAULT_MAX_RECORD_BYTES = 4 * 1024 * 1024;
/** Deepest nesting of arrays and objects a record may have. */
export const MAX_RECORD_DEPTH = 128;

/** Splits text chunks into lines, a batch per chunk (see LineSplitter). */
async function* lineBatches(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<LineItem[]> {
  const splitter = new LineSplitter(maxChars);
  for await (const chunk of chunks) {
    const batch = splitter.push(chunk);
    if (batch.length) yield batch;
  }
  const last = splitter.end();
  if (last.length) yield last;
}

/** True when arrays and objects nest deeper than `max` (strings are skipped). */
function deeperThan(text: string, max: number): boolean {
  if (text.length <= 2 * max) return false;
  // Depth needs as many `{` and `[`: counting them (native searches) spares most records the scan.
  let openers = 0;
  for (let i = text.indexOf('{'); i !== -1 && openers <= max; i = text.indexOf('{', i + 1)) openers++;
  for (let i = text.indexOf('['); i !== -1 && openers <= max; i = text.indexOf('[', i + 1)) openers++;
  if (openers <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

function parseError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The record of text holding bytes that are not UTF-8: rejected, its exact bytes kept in base64. */
function invalidUtf8Record(text: string, location: SourceLocation, format: InputFormat, csvHeader?: string[]): InputRecord | undefined {
  const original = invalidUtf8Original(text);
  if (original === undefined) return undefined;
  return {
    text: original,
    encoding: 'base64',
    location,
    format,
    ...(csvHeader ? { csvHeader } : {}),
    error: new AuditInputError('invalid_utf8', 'the record holds bytes that are not UTF-8; its exact bytes are kept in base64', ''),
  };
}

/** Records of one parsed JSON value: an envelope's or array's elements, or the value itself. */
function* expand(value: unknown, text: string, loc: SourceLocation, format: InputFormat, opts: ReadOptions): Generator<InputRecord> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      yield { value: v, text: JSON.stringify(v), location: { ...loc, pointer: `${loc.pointer ?? ''}/${i}` }, format };
    }
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const key = opts.envelopeKeyOf(value as Record<string, unknown>);
    if (key !== undefined) {
      const items = (value as Record<string, unknown[]>)[key]!;
      for (const [i, v] of items.entries()) {
        const pointer = `${loc.pointer ?? ''}/${pointerToken(key)}/${i}`;
        yield { value: v, text: JSON.stringify(v), location: { ...loc, pointer }, format, envelopeKey: key };
      }
      return;
    }
  }
  yield { value, text, location: loc, format };
}

/** The object keys of a header's columns (duplicate names get `#2`, ...), worked out once per header. */
const headerKeys = new WeakMap<readonly string[], { keys: string[]; plain: boolean }>();
function keysOf(header: readonly string[]): { keys: string[]; plain: boolean } {
  let known = headerKeys.get(header);
  if (!known) {
    const seen = new Set<string>();
    const keys = header.map((h) => {
      let key = h;
      for (let k = 2; seen.has(key); k++) key = `${h}#${k}`;
      seen.add(key);
      return key;
    });
    // `__proto__` cannot be assigned as an own key: such a header takes defineProperty.
    known = { keys, plain: !seen.has('__proto__') };
    headerKeys.set(header, known);
  }
  return known;
}

/** CSV cells of one row as an object keyed by the header (duplicate names get `#2`, ...). */
function csvRow(header: readonly string[], fields: readonly string[]): Record<string, string> {
  const { keys, plain } = keysOf(header);
  const value: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++)
    if (plain) value[keys[i]!] = fields[i]!;
    else Object.defineProperty(value, keys[i]!, { value: fields[i], enumerable: true, writable: true, configurable: true });
  return value;
}

/**
 * The fields of one record's text (without its line end), as csv-parse reads them with
 * CSV_ONE_RECORD. A record with no quote and no carriage return has nothing for a CSV parser to
 * decide: its fields are the text between commas (most rows of an export; test/receivers/files
 * checks this equals csv-parse on any such text). Others go through csv-parse.
 */
export function csvFields(text: string): string[] {
  if (!text.includes('"') && !text.includes('\r')) return text.split(',');
  return parseCsvSync(text, CSV_ONE_RECORD)[0] ?? [];
}

/**
 * A dead-letter line fed back (after a fix): its `original` text is read again as the record it
 * was — a JSON record, or a CSV row with the header kept in the dead letter.
 */
function refeed(letter: DeadLetter, loc: SourceLocation, opts: ReadOptions): Generator<InputRecord> | InputRecord[] {
  let text = letter.original;
  if (letter.encoding === 'base64') {
    // Bytes kept as they were: fed back when they are UTF-8 now, rejected again otherwise.
    const bytes = Buffer.from(text, 'base64');
    if (!isUtf8(bytes)) {
      const error = new AuditInputError(
        'invalid_utf8',
        'the record holds bytes that are not UTF-8; its exact bytes are kept in base64',
        '/original',
      );
      return [{ text, encoding: 'base64', location: loc, format: letter.csv_header ? 'csv' : 'ndjson', error }];
    }
    text = bytes.toString('utf8');
  }
  if (letter.csv_header) {
    try {
      const fields = csvFields(text);
      if (fields.length !== letter.csv_header.length)
        throw new Error(`row has ${fields.length} fields, the header has ${letter.csv_header.length}`);
      return [{ value: csvRow(letter.csv_header, fields), text, location: loc, format: 'csv', csvHeader: letter.csv_header }];
    } catch (err) {
      return [
        {
          text,
          location: loc,
          format: 'csv',
          csvHeader: letter.csv_header,
          error: new AuditInputError('invalid_csv', `invalid CSV: ${parseError(err)}`, '/original'),
        },
      ];
    }
  }
  try {
    return expand(parseJsonExact(text), text, loc, 'ndjson', opts);
  } catch (err) {
    return [
      {
        text,
        location: loc,
        format: 'ndjson',
        error: new AuditInputError('invalid_json', `invalid JSON: ${parseError(err)}`, '/original'),
      },
    ];
  }
}

/**
 * The records of NDJSON lines (text without its line end, 1-based number): JSON records,
 * envelopes and arrays expanded, dead letters fed back, blank lines skipped. Shared by the
 * sequential reader and the parallel convert workers, so both read a line the same way.
 */
export function ndjsonLineRecords(lines: readonly LineItem[], file: string, opts: ReadOptions): InputRecord[] {
  const out: InputRecord[] = [];
  for (const [text, line, tooLarge] of lines) {
    if (tooLarge !== undefined) {
      out.push({
        text,
        location: { file, line },
        format: 'ndjson',
        error: new AuditInputError(
          'record_too_large',
          `the record has ${tooLarge} characters, more than --max-record-bytes (${opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES}); its first KiB is kept`,
          '',
        ),
      });
      continue;
    }
    if (text.length === 0 || text.trim() === '') continue;
    const notUtf8 = invalidUtf8Record(text, { file, line }, 'ndjson');
    if (notUtf8) {
      out.push(notUtf8);
      continue;
    }
    if (deeperThan(text, MAX_RECORD_DEPTH)) {
      out.push({
        text,
        location: { file, line },
        format: 'ndjson',
        error: new AuditInputError('too_deep', `arrays and objects nest deeper than ${MAX_RECORD_DEPTH}`, ''),
      });
      continue;
    }
    let value: unknown;
    try {
      value = parseJsonExact(text);
    } catch (err) {
      out.push({
        text,
        location: { file, line },
        format: 'ndjson',
        error: new AuditInputError('invalid_json', `invalid JSON: ${parseError(err)}`, ''),
      });
      continue;
    }
    if (isDeadLetter(value)) for (const r of refeed(value, { file, line }, opts)) out.push(r);
    else if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      opts.envelopeKeyOf(value as Record<string, unknown>) === undefined
    ) {
      out.push({ value, text, location: { file, line }, format: 'ndjson' }); // the common case, without expand()
    } else for (const r of expand(value, text, { file, line }, 'ndjson', opts)) out.push(r);
  }
  return out;
}

async function* ndjsonBatches(chunks: AsyncIterable<string>, file: string, opts: ReadOptions): AsyncGenerator<InputRecord[]> {
  for await (const lines of lineBatches(chunks, opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES)) {
    const out = ndjsonLineRecords(lines, file, opts);
    if (out.length) yield out;
  }
}

async function* jsonBatches(chunks: AsyncIterable<string>, file: string, opts: ReadOptions): AsyncGenerator<InputRecord[]> {
  try {
    for await (const elements of jsonDocumentElements(
      chunks,
      opts.envelopeKeys,
      { file },
      opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    )) {
      const out: InputRecord[] = [];
      for (const el of elements) {
        const location = { file, line: el.line, pointer: el.pointer };
        const notUtf8 = invalidUtf8Record(el.text, location, 'json');
        if (notUtf8) {
          out.push(notUtf8);
          continue;
        }
        if (el.tooLarge !== undefined) {
          const message = `the record has ${el.tooLarge} characters, more than --max-record-bytes (${opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES}); its first KiB is kept`;
          out.push({ text: el.text, location, format: 'json', error: new AuditInputError('record_too_large', message, '') });
          continue;
        }
        if (deeperThan(el.text, MAX_RECORD_DEPTH)) {
          out.push({
            text: el.text,
            location,
            format: 'json',
            error: new AuditInputError('too_deep', `arrays and objects nest deeper than ${MAX_RECORD_DEPTH}`, ''),
          });
          continue;
        }
        if (el.truncated) {
          out.push({ text: el.text, location, format: 'json', error: new AuditInputError('invalid_json', el.truncated, '') });
          continue;
        }
        let value: unknown;
        try {
          value = parseJsonExact(el.text);
        } catch (err) {
          out.push({
            text: el.text,
            location,
            format: 'json',
            error: new AuditInputError('invalid_json', `invalid JSON: ${parseError(err)}`, ''),
          });
          continue;
        }
        if (el.pointer === '') for (const r of expand(value, el.text, location, 'json', opts)) out.push(r);
        else {
          const envelopeKey = el.pointer.split('/')[1];
          out.push({
            value,
            text: el.text,
            location,
            format: 'json',
            ...(envelopeKey && !/^\d+$/.test(envelopeKey) ? { envelopeKey } : {}),
          });
        }
      }
      if (out.length) yield out;
    }
  } catch (err) {
    if (!(err instanceof AuditInputError)) throw err;
    yield [{ text: '', location: { file }, format: 'json', error: err }];
  }
}

/**
 * Splits CSV text into records (a newline inside double quotes belongs to the field), giving
 * each record's exact text without its line end and its first line number. csv-parse's own
 * `info.lines`/`raw` drift with CRLF and skipped blank lines, so the split is done here and
 * csv-parse parses the fields of each record.
 *
 * A stray quote would otherwise swallow every row after it into one field. So at a newline
 * inside quotes, once the header row is read, the next line is looked at: when it
 * parses on its own as a row with the header's column count, the quote is taken as broken, the
 * record so far is passed on as broken (third element) and reading resumes at that line.
 */
type CsvRecordText = [text: string, line: number, broken?: boolean, tooLarge?: number];

async function* csvRecordTexts(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<CsvRecordText[]> {
  let pending = '';
  let resumeAt = 0; // where to scan `pending` from
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let columns: number | undefined; // of the header, the first record that is not blank
  // A record longer than `maxChars`: only its first KiB and its length are kept until it ends.
  let big: { head: string; length: number; line: number } | undefined;
  const cleanRow = (text: string, n: number): boolean => {
    try {
      const rows: string[][] = parseCsvSync(text, CSV_ONE_RECORD);
      return rows.length === 1 && rows[0]!.length === n;
    } catch {
      return false;
    }
  };
  const chunksIter = chunks[Symbol.asyncIterator]();
  for (let last = false; !last;) {
    const next = await chunksIter.next();
    last = next.done === true;
    const text = pending + (next.done ? '' : next.value);
    const batch: CsvRecordText[] = [];
    let from = 0;
    let i = resumeAt;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (big) {
        if (c === 34) inQuotes = !inQuotes;
        else if (c === 10) {
          line++;
          if (!inQuotes) {
            batch.push([big.head, big.line, false, big.length + i]);
            big = undefined;
            from = i + 1;
            recordLine = line;
          }
        }
        continue;
      }
      if (c === 34) inQuotes = !inQuotes;
      else if (c === 10) {
        const end = i > from && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
        if (inQuotes) {
          const n = columns;
          if (n !== undefined) {
            const nl = text.indexOf('\n', i + 1);
            if (nl < 0 && !last) break; // the next line is not all here yet: look again with more text
            const nextLine = text.slice(i + 1, nl < 0 ? undefined : nl).replace(/\r$/, '');
            if (nextLine.trim() !== '' && cleanRow(nextLine, n)) {
              batch.push([text.slice(from, end), recordLine, true]);
              inQuotes = false;
              line++;
              from = i + 1;
              recordLine = line;
              continue;
            }
          }
          line++;
        } else {
          line++;
          const record = text.slice(from, end);
          if (columns === undefined && record.trim() !== '') {
            try {
              const header: string[][] = parseCsvSync(record, CSV_FIRST_RECORD);
              columns = header[0]?.length;
            } catch {
              // a header that does not parse is reported by the reader
            }
          }
          batch.push([record, recordLine]);
          from = i + 1;
          recordLine = line;
        }
      }
    }
    if (big) {
      big.length += text.length; // the whole chunk belongs to the record
      pending = '';
      resumeAt = 0;
    } else {
      pending = text.slice(from);
      resumeAt = i - from;
      if (pending.length > maxChars && i === text.length) {
        big = { head: pending.slice(0, 1024), length: pending.length, line: recordLine };
        pending = '';
        resumeAt = 0;
      }
    }
    if (batch.length) yield batch;
  }
  if (big) yield [[big.head, big.line, false, big.length]];
  else if (pending !== '') yield [[pending.endsWith('\r') ? pending.slice(0, -1) : pending, recordLine]];
}

async function* csvBatches(chunks: AsyncIterable<string>, file: string, opts: ReadOptions): AsyncGenerator<InputRecord[]> {
  let header: string[] | undefined;
  const max = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  for await (const texts of csvRecordTexts(chunks, max)) {
    const out: InputRecord[] = [];
    for (const [text, line, broken, tooLarge] of texts) {
      if (text.trim() === '') continue;
      const location = { file, line };
      const rejected = (code: InputErrorCode, message: string): InputRecord => ({
        text,
        location,
        format: 'csv',
        ...(header ? { csvHeader: header } : {}),
        error: new AuditInputError(code, message, ''),
      });
      if (tooLarge !== undefined) {
        out.push(
          rejected(
            'record_too_large',
            `the record has ${tooLarge} characters, more than --max-record-bytes (${max}); its first KiB is kept`,
          ),
        );
        continue;
      }
      const notUtf8 = invalidUtf8Record(text, location, 'csv', header);
      if (notUtf8) {
        out.push(notUtf8);
        continue;
      }
      if (broken) {
        out.push(
          rejected(
            'invalid_csv',
            'a quote that is never closed: the lines up to the next one that reads as a whole row are rejected together',
          ),
        );
        continue;
      }
      let fields: string[];
      try {
        fields = header ? csvFields(text) : (parseCsvSync(text, CSV_FIRST_RECORD)[0] ?? []);
      } catch (err) {
        out.push({ text, location, format: 'csv', error: new AuditInputError('invalid_csv', `invalid CSV: ${parseError(err)}`, '') });
        continue;
      }
      if (!header) {
        header = fields.map((h) => h.trim());
        continue;
      }
      if (fields.length !== header.length) {
        out.push({
          text,
          location,
          format: 'csv',
          csvHeader: header,
          error: new AuditInputError('invalid_csv', `row has ${fields.length} fields, the header has ${header.length}`, ''),
        });
        continue;
      }
      out.push({ value: csvRow(header, fields), text, location, format: 'csv', csvHeader: header });
    }
    if (out.length) yield out;
  }
}

/**
 * Reads every record of one input (`-` for stdin). I/O failures (missing file, unreadable
 * gzip) are thrown as they are; record-level problems are yielded as records with `error`.
 */
export async function* readRecords(path: string, opts: ReadOptions): AsyncGenerator<InputRecord> {
  for await (const batch of readRecordBatches(path, opts)) yield* batch;
}

/**
 * The records of one input in batches (one per chunk read): what the convert loop iterates,
 * so a record costs no async step of its own.
 */
export async function* readRecordBatches(path: string, opts: ReadOptions): AsyncGenerator<InputRecord[]> {
  yield* batchesFrom(decodeUtf8(capped(gunzipIfNeeded(rawChunks(path, opts.onBytes)), opts.maxInputBytes, path)), path, opts);
}

/** Reads the records of text already in memory (an HTTP response body), named `source`. */
export async function* readTextRecords(text: string, source: string, opts: ReadOptions): AsyncGenerator<InputRecord> {
  for await (const batch of batchesFrom(Readable.from([text]).iterator() as AsyncGenerator<string>, source, opts)) yield* batch;
}

/**
 * The decoded text of an input (`-` is stdin), gunzipped when compressed, with its format
 * (forced, or sniffed from the start). For readers that split the text themselves.
 */
export async function openText(
  path: string,
  opts: Pick<ReadOptions, 'format' | 'onBytes' | 'maxInputBytes'>,
): Promise<[InputFormat, AsyncGenerator<string>]> {
  const chunks = decodeUtf8(capped(gunzipIfNeeded(rawChunks(path, opts.onBytes)), opts.maxInputBytes, path));
  return opts.format ? [opts.format, chunks] : sniff(chunks);
}

async function* batchesFrom(input: AsyncGenerator<string>, file: string, opts: ReadOptions): AsyncGenerator<InputRecord[]> {
  let chunks = input;
  let format = opts.format;
  if (!format) [format, chunks] = await sniff(chunks);
  if (format === 'ndjson') yield* ndjsonBatches(chunks, file, opts);
  else if (format === 'json') yield* jsonBatches(chunks, file, opts);
  else yield* csvBatches(chunks, file, opts);
}
