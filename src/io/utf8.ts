/**
 * Decoding input without changing it: bytes that are not UTF-8 are never turned into U+FFFD
 * silently. A stretch of a line holding such bytes is carried through the text as a marker (NUL,
 * `invalid-utf8:`, the bytes in base64, NUL), which readers turn back into the exact bytes of
 * the record and reject as `invalid_utf8` (a NUL cannot stand raw in JSON, and the marker is
 * checked in CSV rows too).
 */
import { isUtf8 } from 'node:buffer';

const MARK = '\u0000invalid-utf8:';
// eslint-disable-next-line no-control-regex -- the marker is delimited by NUL on purpose
const MARKER = /\u0000invalid-utf8:([A-Za-z0-9+/=]*)\u0000/g;

/** Bytes of an incomplete UTF-8 sequence at the end of `buf` (0 to 3), to wait for the next chunk. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Decodes chunks of bytes into text; a line's bytes that are not UTF-8 become a marker. */
export async function* decodeUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let carry = Buffer.alloc(0);
  let first = true;
  for await (const chunk of chunks) {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    carry = tail ? Buffer.from(buf.subarray(buf.length - tail)) : Buffer.alloc(0);
    buf = tail ? buf.subarray(0, buf.length - tail) : buf;
    let text = decodeBytes(buf);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM
      first = false;
    }
    if (text) yield text;
  }
  if (carry.length) yield decodeBytes(carry);
}

/** Text of the bytes: valid stretches decoded, each line's invalid stretch as a marker. */
function decodeBytes(buf: Buffer): string {
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let from = 0;
  // CR and LF bytes are never part of a multibyte sequence: the stretches between line ends are
  // checked one by one, and the line ends themselves stay text.
  for (let i = 0; i <= buf.length; i++) {
    if (i < buf.length && buf[i] !== 10 && buf[i] !== 13) continue;
    const piece = buf.subarray(from, i);
    out += isUtf8(piece) ? piece.toString('utf8') : `${MARK}${piece.toString('base64')}\u0000`;
    if (i < buf.length) out += buf[i] === 10 ? '\n' : '\r';
    from = i + 1;
  }
  return out;
}

/** When `text` holds invalid-UTF-8 markers: the record's exact bytes, in base64; else undefined. */
export function invalidUtf8Original(text: string): string | undefined {
  if (!text.includes(MARK)) return undefined;
  const parts: Buffer[] = [];
  let at = 0;
  for (const m of text.matchAll(MARKER)) {
    parts.push(Buffer.from(text.slice(at, m.index), 'utf8'), Buffer.from(m[1]!, 'base64'));
    at = m.index + m[0].length;
  }
  parts.push(Buffer.from(text.slice(at), 'utf8'));
  return Buffer.concat(parts).toString('base64');
}
