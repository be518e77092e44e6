/**
 * JSON of vendor input, parsed without losing numbers: an integer beyond 2^53 (a Snorkel
 * `event_id` such as 12345678901234567890) or a number a double cannot hold (`1e400`) is kept as
 * its exact text, a string, instead of being rounded or turned into `null`/`Infinity`.
 */

// A number of 16+ digits (right after `:`, `[` or `,`) or with a 3-digit exponent may be one
// JSON.parse would change; a digest of digits inside a string is not one (its `"` comes first).
const MAYBE_INEXACT = /[:[,]\s*-?\d{16}|\d[eE][+-]?\d{3}/;
// Tokens that matter: strings (skipped whole) and numbers.
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g;

/** True when JSON.parse would not keep the number the token writes (or its digits). */
function inexact(token: string): boolean {
  const n = Number(token);
  if (!Number.isFinite(n)) return true;
  // An integer beyond 2^53 stays text even when a double holds it (10^22 would print as 1e+22).
  if (!/[.eE]/.test(token)) return !Number.isSafeInteger(n);
  return false; // a fraction is a double by nature: JSON.parse keeps it as well as any reader can
}

/**
 * True when a parsed value holds a number JSON.parse may have changed: an integer beyond 2^53
 * or an infinity (`1e400`). Cheaper than searching the text, and exact as a filter: a number it
 * passes is one JSON.parse kept.
 */
function mayHaveChanged(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) return true;
    } else if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) for (const x of v) stack.push(x);
      else for (const k in v) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return false;
}

/** `JSON.parse`, with the numbers it would change kept as their exact text (strings). */
export function parseJsonExact(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  if (!mayHaveChanged(parsed) || !MAYBE_INEXACT.test(text)) return parsed;
  let out = '';
  let from = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const token = m[0];
    if (token.charCodeAt(0) === 34 || !inexact(token)) continue;
    out += `${text.slice(from, m.index)}"${token}"`;
    from = m.index + token.length;
  }
  return JSON.parse(from === 0 ? text : out + text.slice(from));
}
