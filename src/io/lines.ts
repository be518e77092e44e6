/**
 * The one line splitter: every reader of line-oriented text (NDJSON input, parallel-convert
 * blocks, sending-queue batches, archive segments) cuts lines with `cutLines`.
 */

const LF = 10;
const CR = 13;

/**
 * Calls `onLine(start, end)` for every complete line of `text` from `from` on (`end` excludes
 * the `\n`, and with `stripCr` a `\r` before it), and returns the offset after the last `\n`:
 * where the incomplete rest begins. Works on text and on bytes alike (an archive hashes the
 * exact bytes of each line, so it must not decode them).
 */
export function cutLines(text: string | Uint8Array, from: number, stripCr: boolean, onLine: (start: number, end: number) => void): number {
  const isText = typeof text === 'string';
  let at = from;
  for (
    let nl = isText ? text.indexOf('\n', at) : text.indexOf(LF, at);
    nl >= 0;
    nl = isText ? text.indexOf('\n', at) : text.indexOf(LF, at)
  ) {
    const end = stripCr && nl > at && (isText ? text.charCodeAt(nl - 1) : text[nl - 1]) === CR ? nl - 1 : nl;
    onLine(at, end);
    at = nl + 1;
  }
  return at;
}

/** What a line reader keeps of a line too long to keep whole. */
const KEPT_OF_TOO_LARGE = 1024;

/**
 * Text gathered piece by piece up to `max` characters; past that only its first KiB is kept and
 * its length counted, so a huge record costs no memory.
 */
export class CappedText {
  private parts: string[] = [];
  length = 0;

  constructor(private readonly max: number) {}

  push(piece: string): void {
    const was = this.length;
    this.length += piece.length;
    if (was > this.max) return;
    this.parts.push(piece);
    if (this.length > this.max) this.parts = [this.parts.join('').slice(0, KEPT_OF_TOO_LARGE)];
  }

  /** True once more than `max` characters came. */
  get tooLarge(): boolean {
    return this.length > this.max;
  }

  /** The text (its first KiB when too large). */
  text(): string {
    return this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
  }
}

/** A line: its text (the first KiB when too long), its 1-based number, and its length when too long. */
export type LineItem = readonly [text: string, line: number, tooLarge?: number];

/**
 * Splits text pushed chunk by chunk into lines, in time linear in the input: `\n`, `\r\n` and
 * a lone `\r` end a line. A line longer than `maxChars` is not kept whole: its first KiB and its
 * length are passed on, so memory stays bounded whatever the input.
 */
export class LineSplitter {
  private current: CappedText; // the current line so far
  private pendingCr = false;

  constructor(
    private readonly maxChars = Infinity,
    private line = 0,
  ) {
    this.current = new CappedText(maxChars);
  }

  /** The lines the chunk completes. */
  push(raw: string): LineItem[] {
    let chunk = raw;
    if (this.pendingCr) chunk = (chunk.startsWith('\n') ? '' : '\n') + chunk;
    this.pendingCr = chunk.endsWith('\r');
    if (this.pendingCr) chunk = chunk.slice(0, -1);
    if (chunk.includes('\r')) chunk = chunk.replace(/\r\n?/g, '\n');
    const lines: LineItem[] = [];
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
      lines.push(this.finish(chunk.slice(from, nl)));
      from = nl + 1;
    }
    if (from < chunk.length) this.current.push(chunk.slice(from));
    return lines;
  }

  /** The last line, when the text does not end with a line end. */
  end(): LineItem[] {
    const last = this.pendingCr || this.current.length > 0 ? [this.finish('')] : [];
    this.pendingCr = false;
    return last;
  }

  private finish(last: string): LineItem {
    this.line++;
    if (this.current.length === 0) {
      // The common case: the whole line is in one chunk (no object is made for it).
      return last.length > this.maxChars ? [last.slice(0, KEPT_OF_TOO_LARGE), this.line, last.length] : [last, this.line];
    }
    const line = this.current;
    this.current = new CappedText(this.maxChars);
    line.push(last);
    return line.tooLarge ? [line.text(), this.line, line.length] : [line.text(), this.line];
  }
}

/** The text's lines (without their line ends), numbered from `firstLine`; a last line without one included. */
export function textLines(text: string, firstLine = 1): [string, number][] {
  const splitter = new LineSplitter(Infinity, firstLine - 1);
  return [...splitter.push(text), ...splitter.end()].map(([t, n]) => [t, n]);
}

/**
 * Characters in one block of NDJSON text handed between threads: a string over 128 KiB lands in
 * V8's large-object space, a fresh mapping of its own each time (page faults), so blocks stay at
 * 32 KiB, and a 64 KiB write batch with one block added stays under that size too.
 */
export const LINE_BLOCK_CHARS = 32 * 1024;

/**
 * `lines` as NDJSON text (each line ending with `\n`) cut into blocks of at most `maxChars`
 * characters; a line longer than that is a block of its own.
 */
export function lineBlocks(lines: readonly string[], maxChars = LINE_BLOCK_CHARS): string[] {
  const blocks: string[] = [];
  let from = 0;
  let size = 0;
  for (let i = 0; i < lines.length; i++) {
    const n = lines[i]!.length + 1;
    if (size > 0 && size + n > maxChars) {
      blocks.push(`${lines.slice(from, i).join('\n')}\n`);
      from = i;
      size = 0;
    }
    size += n;
  }
  if (from < lines.length) blocks.push(`${lines.slice(from).join('\n')}\n`);
  return blocks;
}
