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

/** The text's lines (without `\r\n` or `\n`), numbered from `firstLine`; a last line without `\n` included. */
export function textLines(text: string, firstLine = 1): [string, number][] {
  const lines: [string, number][] = [];
  let n = firstLine;
  const rest = cutLines(text, 0, true, (start, end) => lines.push([text.slice(start, end), n++]));
  if (rest < text.length) lines.push([text.slice(rest, text.endsWith('\r') ? -1 : undefined), n]);
  return lines;
}
