import { CappedText } from '../../io/lines.js';
import { AuditInputError, pointerToken, type SourceLocation } from '../../errors.js';

/** One element found in a JSON document: its exact text, first line and JSON pointer. */
export interface JsonElement {
  text: string;
  line: number;
  pointer: string;
  /** The document ended inside this element: why, for its dead letter (its text is what was there). */
  truncated?: string;
  /** The element was longer than the reader keeps: its length (`text` is its first KiB). */
  tooLarge?: number;
}

// Character codes the scanner compares against: a const enum, inlined as numbers by the compiler
// (the hot loop compares `charCodeAt` numbers with them, which the enum rules would forbid).
/* eslint-disable @typescript-eslint/no-unsafe-enum-comparison */
// prettier-ignore
const enum C { Quote = 34, Backslash = 92, Comma = 44, Colon = 58, Newline = 10, OpenBrace = 123, CloseBrace = 125, OpenBracket = 91, CloseBracket = 93, Space = 32, Tab = 9, Return = 13 }
const isWs = (c: number): boolean => c === C.Space || c === C.Newline || c === C.Return || c === C.Tab;

/**
 * Streams the record elements out of a JSON document without holding the document in memory
 * (a batch per chunk read):
 * the elements of a top-level array, or of the array under one of `envelopeKeys` in a
 * top-level object (`{"audit_logs": [...], "next_cursor": ...}`). A top-level object without
 * such a key is yielded whole as one element. Each element's text is handed to the caller
 * verbatim (for `JSON.parse`, which treats `__proto__` as data, and for dead letters).
 *
 * The scanner only tracks strings and bracket depth; a malformed element is still cut at the
 * right place and fails in `JSON.parse`, so the elements after it keep flowing. A document
 * that ends inside a value raises `AuditInputError('invalid_json')` naming the line.
 */
export async function* jsonDocumentElements(
  chunks: AsyncIterable<string>,
  envelopeKeys: ReadonlySet<string>,
  where: SourceLocation,
  maxElementChars = Infinity,
): AsyncGenerator<JsonElement[]> {
  let depth = 0;
  let inString = false;
  let escape = false;
  let line = 1;
  let top: 'array' | 'object' | undefined;
  let recordDepth = -1; // depth of the array whose elements are records
  let recordPrefix = '';
  let index = 0;
  // Element being captured.
  let elem: CappedText | undefined;
  let elemStartLine = 0;
  let elemKind = 0; // first char code of the element
  let elemFrom = 0;
  // Top-level object: key tracking and the text kept for a single-record document.
  let keyStart = -1;
  let keyText = '';
  let expectKey = false;
  let lastKey: string | undefined;
  let afterColon = false;
  let rest: CappedText | undefined;
  let restFrom = 0;
  let sawEnvelope = false;
  let done = false;

  const finishElement = (chunk: string, end: number): JsonElement => {
    elem!.push(chunk.slice(elemFrom, end));
    const text = elem!.text();
    const out: JsonElement = {
      text,
      line: elemStartLine,
      pointer: `${recordPrefix}/${index++}`,
      ...(elem!.tooLarge ? { tooLarge: elem!.length } : {}),
    };
    elem = undefined;
    return out;
  };

  let found: JsonElement[] = [];
  for await (const chunk of chunks) {
    if (elem) elemFrom = 0;
    if (rest) restFrom = 0;
    if (keyStart >= 0) keyStart = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c === C.Newline) line++;
      if (inString) {
        if (escape) escape = false;
        else if (c === C.Backslash) escape = true;
        else if (c === C.Quote) {
          inString = false;
          if (keyStart >= 0) {
            keyText += chunk.slice(keyStart, i + 1);
            keyStart = -1;
            try {
              lastKey = JSON.parse(keyText) as string;
            } catch {
              lastKey = undefined;
            }
            keyText = '';
          }
          if (elem && depth === recordDepth && elemKind === C.Quote) found.push(finishElement(chunk, i + 1));
        }
        continue;
      }
      if (done) {
        if (isWs(c)) continue;
        if (c !== C.OpenBracket && c !== C.OpenBrace) {
          if (found.length) yield found; // what was read before stays read
          throw new AuditInputError('invalid_json', `unexpected text after the JSON document at line ${line}`, '');
        }
        // Another document follows (`cat page.json page.json`): read it too.
        done = false;
        top = undefined;
        depth = 0;
        recordDepth = -1;
        recordPrefix = '';
        index = 0;
        sawEnvelope = false;
        lastKey = undefined;
        afterColon = false;
        expectKey = false;
      }
      // Start of a record element?
      if (!elem && depth === recordDepth && !isWs(c) && c !== C.Comma && c !== C.CloseBracket) {
        elem = new CappedText(maxElementChars);
        elemFrom = i;
        elemStartLine = line;
        elemKind = c;
      } else if (
        elem &&
        depth === recordDepth &&
        elemKind !== C.OpenBrace &&
        elemKind !== C.OpenBracket &&
        elemKind !== C.Quote &&
        (isWs(c) || c === C.Comma || c === C.CloseBracket)
      ) {
        found.push(finishElement(chunk, i)); // end of a bare literal (number, true, null)
      }
      if (top === undefined) {
        if (isWs(c)) continue;
        if (c === C.OpenBracket) {
          top = 'array';
          recordDepth = 1;
        } else if (c === C.OpenBrace) {
          top = 'object';
          expectKey = true;
          rest = new CappedText(maxElementChars);
          restFrom = i;
        } else throw new AuditInputError('invalid_json', `a JSON document must start with [ or { (line ${line})`, '');
        depth = 1;
        continue;
      }
      switch (c) {
        case C.Quote:
          inString = true;
          afterColon = false;
          if (top === 'object' && depth === 1 && expectKey) {
            keyStart = i;
            expectKey = false;
          }
          break;
        case C.Colon:
          afterColon = top === 'object' && depth === 1;
          break;
        case C.Comma:
          afterColon = false;
          if (top === 'object' && depth === 1) expectKey = true;
          break;
        case C.OpenBrace:
        case C.OpenBracket:
          if (
            top === 'object' &&
            depth === 1 &&
            afterColon &&
            c === C.OpenBracket &&
            !sawEnvelope &&
            lastKey !== undefined &&
            envelopeKeys.has(lastKey)
          ) {
            sawEnvelope = true;
            recordDepth = 2;
            recordPrefix = `/${pointerToken(lastKey)}`;
            // The envelope's own fields are not records; stop keeping text for a single record.
            rest = undefined;
          }
          afterColon = false;
          depth++;
          break;
        case C.CloseBrace:
        case C.CloseBracket:
          depth--;
          if (elem && depth === recordDepth && (elemKind === C.OpenBrace || elemKind === C.OpenBracket))
            found.push(finishElement(chunk, i + 1));
          if (depth === 1 && recordDepth === 2 && c === C.CloseBracket) recordDepth = -1;
          if (depth === 0) {
            done = true;
            if (rest) {
              rest.push(chunk.slice(restFrom, i + 1));
              found.push({ text: rest.text(), line: 1, pointer: '', ...(rest.tooLarge ? { tooLarge: rest.length } : {}) });
              rest = undefined;
            }
          }
          break;
        default:
          if (!isWs(c)) afterColon = false;
      }
    }
    if (elem) elem.push(chunk.slice(elemFrom));
    if (rest) rest.push(chunk.slice(restFrom));
    if (keyStart >= 0) keyText += chunk.slice(keyStart);
    if (found.length) {
      yield found;
      found = [];
    }
  }
  if (elem && depth === recordDepth && elemKind !== C.OpenBrace && elemKind !== C.OpenBracket && elemKind !== C.Quote) {
    elem = undefined; // a bare literal at end of input: the document is unterminated anyway
  }
  if (!done && elem) {
    // The document ends inside an element: it is passed on as it is (its JSON fails, and its dead
    // letter keeps the text that was there).
    const truncated = `JSON document ends early (unterminated at line ${line}); ${where.file ?? 'input'} is truncated or not JSON`;
    yield [{ text: elem.text(), line: elemStartLine, pointer: `${recordPrefix}/${index++}`, truncated }];
    return;
  }
  if (!done) {
    throw new AuditInputError(
      'invalid_json',
      top === undefined
        ? 'empty JSON document'
        : `JSON document ends early (unterminated at line ${line}); ${where.file ?? 'input'} is truncated or not JSON`,
      '',
    );
  }
}
